"""Word lists the extractor uses: demonyms, feature words, cue words, stop words."""

from __future__ import annotations

# Demonym (adjective or people) -> the country or region name the gazetteer knows.
DEMONYMS: dict[str, str] = {
    "afghan": "Afghanistan", "albanian": "Albania", "algerian": "Algeria", "american": "United States",
    "angolan": "Angola", "argentine": "Argentina", "argentinian": "Argentina", "armenian": "Armenia",
    "australian": "Australia", "austrian": "Austria", "azerbaijani": "Azerbaijan", "bahraini": "Bahrain",
    "bangladeshi": "Bangladesh", "belgian": "Belgium", "bolivian": "Bolivia", "bosnian": "Bosnia and Herzegovina",
    "brazilian": "Brazil", "british": "United Kingdom", "briton": "United Kingdom", "bulgarian": "Bulgaria",
    "burmese": "Myanmar", "cambodian": "Cambodia", "cameroonian": "Cameroon", "canadian": "Canada",
    "chadian": "Chad", "chilean": "Chile", "chinese": "China", "colombian": "Colombia", "congolese": "Congo",
    "croatian": "Croatia", "cuban": "Cuba", "cypriot": "Cyprus", "czech": "Czechia", "danish": "Denmark",
    "dutch": "Netherlands", "ecuadorian": "Ecuador", "egyptian": "Egypt", "emirati": "United Arab Emirates",
    "english": "England", "eritrean": "Eritrea", "estonian": "Estonia", "ethiopian": "Ethiopia",
    "european": "Europe", "filipino": "Philippines", "finnish": "Finland", "french": "France",
    "georgian": "Georgia", "german": "Germany", "ghanaian": "Ghana", "greek": "Greece",
    "guatemalan": "Guatemala", "haitian": "Haiti", "honduran": "Honduras", "hungarian": "Hungary",
    "icelandic": "Iceland", "indian": "India", "indonesian": "Indonesia", "iranian": "Iran", "iraqi": "Iraq",
    "irish": "Ireland", "israeli": "Israel", "italian": "Italy", "ivorian": "Ivory Coast", "jamaican": "Jamaica",
    "japanese": "Japan", "jordanian": "Jordan", "kazakh": "Kazakhstan", "kenyan": "Kenya", "korean": "Korea",
    "kosovar": "Kosovo", "kuwaiti": "Kuwait", "kyrgyz": "Kyrgyzstan", "laotian": "Laos", "latvian": "Latvia",
    "lebanese": "Lebanon", "liberian": "Liberia", "libyan": "Libya", "lithuanian": "Lithuania",
    "malaysian": "Malaysia", "malian": "Mali", "maltese": "Malta", "mexican": "Mexico", "moldovan": "Moldova",
    "mongolian": "Mongolia", "moroccan": "Morocco", "mozambican": "Mozambique", "namibian": "Namibia",
    "nepalese": "Nepal", "nepali": "Nepal", "nicaraguan": "Nicaragua", "nigerian": "Nigeria",
    "nigerien": "Niger", "norwegian": "Norway", "omani": "Oman", "pakistani": "Pakistan",
    "palestinian": "Palestine", "panamanian": "Panama", "paraguayan": "Paraguay", "peruvian": "Peru",
    "philippine": "Philippines", "polish": "Poland", "portuguese": "Portugal", "qatari": "Qatar",
    "romanian": "Romania", "russian": "Russia", "rwandan": "Rwanda", "saudi": "Saudi Arabia",
    "scottish": "Scotland", "senegalese": "Senegal", "serbian": "Serbia", "singaporean": "Singapore",
    "slovak": "Slovakia", "slovenian": "Slovenia", "somali": "Somalia", "african": "Africa",
    "spanish": "Spain", "sri lankan": "Sri Lanka", "sudanese": "Sudan", "swedish": "Sweden", "swiss": "Switzerland",
    "syrian": "Syria", "taiwanese": "Taiwan", "tajik": "Tajikistan", "tanzanian": "Tanzania", "thai": "Thailand",
    "tunisian": "Tunisia", "turkish": "Turkey", "turkmen": "Turkmenistan", "ugandan": "Uganda",
    "ukrainian": "Ukraine", "uruguayan": "Uruguay", "uzbek": "Uzbekistan", "venezuelan": "Venezuela",
    "vietnamese": "Vietnam", "welsh": "Wales", "yemeni": "Yemen", "zambian": "Zambia", "zimbabwean": "Zimbabwe",
    "asian": "Asia", "texan": "Texas", "californian": "California", "floridian": "Florida",
}  # fmt: skip

# Generic words after or before a name that make it a place, and the kind they give.
FEATURES: dict[str, str] = {
    "district": "district", "neighborhood": "district", "neighbourhood": "district", "quarter": "district",
    "suburb": "district", "province": "region", "governorate": "region", "region": "region", "state": "region",
    "county": "region", "parish": "region", "village": "village", "hamlet": "village", "town": "town",
    "city": "city", "river": "river", "citadel": "site", "castle": "site", "fortress": "site", "mosque": "site",
    "garrison": "base", "base": "base", "airbase": "base", "airport": "site", "camp": "site", "dam": "site",
    "crossing": "crossing", "border": "border", "borders": "border", "valley": "region", "mountains": "region",
    "lake": "other", "desert": "region", "oilfield": "site", "oilfields": "site", "island": "region",
}  # fmt: skip
# Those that come before "of": "the village of X".
FEATURES_BEFORE = {"village", "town", "city", "district", "province", "region", "neighborhood", "neighbourhood",
                   "suburb", "governorate", "county", "state", "island", "hamlet", "capital", "port"}  # fmt: skip

# Prepositions that often come right before a place name.
LOCATIVE = {"in", "near", "at", "from", "outside", "inside", "around", "toward", "towards", "to", "across",
            "into", "through", "via", "nearby", "throughout", "within", "of", "between"}  # fmt: skip

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]  # fmt: skip

# Titles before a person's name.
TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "sir", "lord", "lady", "president", "minister", "general", "gen", "lieutenant",
    "lt", "colonel", "col", "major", "maj", "captain", "capt", "sergeant", "sgt", "commander", "chief", "sheriff",
    "deputy", "officer", "senator", "sen", "rep", "representative", "governor", "gov", "mayor", "judge", "justice",
    "pope", "king", "queen", "prince", "princess", "secretary", "spokesman", "spokeswoman", "head", "director",
    "coach", "professor", "prof", "rev", "reverend", "father", "sister", "brother", "saint", "detective",
    "trooper", "councilman", "councilwoman", "commissioner", "superintendent", "principal", "attorney",
}  # fmt: skip

# Words that make a capitalised phrase an organisation, an event or a thing, not a place.
ORG_WORDS = {
    "forces", "force", "committee", "ministry", "department", "dept", "university", "college", "school", "office",
    "council", "party", "group", "company", "army", "police", "news", "times", "post", "observatory",
    "association", "church", "hospital", "bank", "club", "inc", "corp", "agency", "court", "board", "commission",
    "center", "centre", "institute", "foundation", "society", "league", "union", "bureau", "organization",
    "organisation", "service", "services", "network", "press", "tribune", "journal", "herald", "gazette",
    "corporation", "authority", "fund", "program", "programme", "project", "operation", "coalition", "militia",
    "front", "brigade", "brigades", "guard", "navy", "airlines", "airways", "team", "academy", "museum", "hotel",
    "restaurant", "store", "mall", "stadium", "field", "high", "elementary", "middle", "library", "cup",
    "championship", "festival", "awards", "show", "day", "week", "game", "games", "senate", "house",
    "congress", "parliament", "assembly", "government", "administration", "cabinet", "monitor", "daily",
}  # fmt: skip

# Capitalised words that are not places on their own (sentence starters, titles, months...).
STOP = set(WEEKDAYS) | set(MONTHS) | TITLES | {
    "a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "you", "i", "his",
    "her", "their", "our", "my", "your", "there", "here", "and", "but", "or", "nor", "so", "yet", "if", "when",
    "while", "where", "what", "who", "why", "how", "which", "after", "before", "during", "since", "until",
    "although", "though", "because", "as", "at", "by", "for", "from", "in", "into", "on", "of", "to", "with",
    "without", "along", "among", "despite", "under", "over", "about", "according", "both", "each", "every", "all",
    "some", "many", "most", "more", "other", "such", "no", "not", "only", "one", "two", "three", "four", "five",
    "six", "seven", "eight", "nine", "ten", "first", "second", "third", "last", "next", "new", "however",
    "meanwhile", "also", "still", "then", "now", "today", "yesterday", "tomorrow", "early", "late", "later",
    "earlier", "even", "just", "much", "very", "well", "please", "thanks", "yes", "said", "says", "read",
    "related", "video", "show", "full", "article", "photo", "reported", "reports", "click", "share", "email",
    "comment", "comments", "see", "like", "get", "can", "will", "would", "should", "could", "may",
    "might", "must", "do", "does", "did", "have", "has", "had", "be", "is", "are", "was", "were", "been",
    "overall", "instead", "several", "another", "any", "few", "police", "officials", "people",
    "god", "christmas", "easter", "internet", "web", "tv", "am", "pm", "ap", "afp", "reuters", "cnn", "bbc",
    "human", "rights", "west", "east", "north", "south", "western", "eastern", "northern", "southern", "central", "coalition",
    "government", "state", "city", "county", "republic", "kingdom", "united", "national", "international",
    "islamic", "muslim", "christian", "jewish", "arab", "kurdish", "sunni", "shiite", "catholic", "democrat",
    "democrats", "republican", "republicans", "congress", "senate", "court", "old", "great", "little", "big",
    "fire", "health", "news", "world", "ebola", "flu", "virus", "h1n1", "sars", "aids", "hiv", "un",
    "eu", "nato", "isis", "sdf", "high", "park", "lake", "mount", "fort", "saint", "st", "ave", "street",
}  # fmt: skip

# Number words for distances.
NUMBERS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "half": 0.5,
    "a few": 3, "a couple of": 2, "several": 5, "dozen": 12, "a dozen": 12,
}  # fmt: skip

UNITS_KM: dict[str, float] = {
    "km": 1.0, "kms": 1.0, "kilometer": 1.0, "kilometers": 1.0, "kilometre": 1.0, "kilometres": 1.0,
    "mile": 1.609344, "miles": 1.609344, "mi": 1.609344, "meter": 0.001, "meters": 0.001, "metre": 0.001,
    "metres": 0.001, "m": 0.001, "nautical mile": 1.852, "nautical miles": 1.852,
}  # fmt: skip

DIRECTIONS: dict[str, str] = {
    "north": "north", "south": "south", "east": "east", "west": "west",
    "northeast": "north-east", "north-east": "north-east", "northwest": "north-west", "north-west": "north-west",
    "southeast": "south-east", "south-east": "south-east", "southwest": "south-west", "south-west": "south-west",
}  # fmt: skip
