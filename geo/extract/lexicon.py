"""Word lists the extractor uses: demonyms, feature words, cue words, stop words, name lists."""

from __future__ import annotations

from functools import cache
from importlib import resources

from geo.gazetteer import demonyms

DEMONYMS = demonyms()
"""Demonym (adjective or people) -> the country or region name the gazetteer knows (geo/data/demonyms.csv)."""

# Generic words after or before a name that make it a place, and the kind they give.
FEATURES: dict[str, str] = {
    "district": "district", "neighborhood": "district", "neighbourhood": "district", "quarter": "district",
    "suburb": "district", "province": "region", "governorate": "region", "region": "region", "state": "region",
    "county": "region", "parish": "region", "village": "village", "hamlet": "village", "town": "town",
    "city": "city", "river": "river", "citadel": "site", "castle": "site", "fortress": "site", "mosque": "site",
    "garrison": "base", "base": "base", "airbase": "base", "airport": "site", "camp": "site", "dam": "site",
    "crossing": "crossing", "border": "border", "borders": "border", "valley": "region", "mountains": "region",
    "lake": "other", "desert": "region", "oilfield": "site", "oilfields": "site", "island": "region",
    "lga": "region", "township": "region",
}  # fmt: skip
# The same words in the plural, after a list of names ("Barrow and Jackson counties"): each name is one.
FEATURES_PLURAL = {"counties": "county", "rivers": "river", "provinces": "province", "districts": "district",
                   "villages": "village", "towns": "town", "cities": "city", "parishes": "parish",
                   "townships": "township", "lakes": "lake", "islands": "island", "governorates": "governorate",
                   "valleys": "valley", "camps": "camp", "neighborhoods": "neighborhood",
                   "neighbourhoods": "neighbourhood", "suburbs": "suburb"}  # fmt: skip
# Those that come before "of": "the village of X".
FEATURES_BEFORE = {"village", "town", "city", "district", "province", "region", "neighborhood", "neighbourhood",
                   "suburb", "governorate", "county", "state", "island", "hamlet", "capital", "port"}  # fmt: skip
FEATURES_BEFORE_PLURAL = {"villages": "village", "towns": "town", "cities": "city", "districts": "district",
                          "provinces": "province", "regions": "region", "neighborhoods": "neighborhood",
                          "neighbourhoods": "neighbourhood", "suburbs": "suburb", "governorates": "governorate",
                          "counties": "county", "states": "state", "islands": "island", "hamlets": "hamlet"}  # fmt: skip

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
    "manager", "chairman", "chairwoman", "chair", "selectman", "alderman", "treasurer", "pastor", "bishop",
    "coordinator", "administrator", "supervisor", "investigator", "agent", "constable", "clerk", "assessor",
    "spokesperson", "editor", "dean", "chancellor", "ambassador", "delegate", "del", "assemblyman",
    "assemblywoman", "congressman", "congresswoman", "marshal", "sens", "reps", "inspector", "corporal", "cpl",
    "pvt", "admiral", "adm", "speaker",
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
    "ltd", "llc", "plc", "fc", "afc", "racing", "motorsport", "motorsports", "motors", "holdings", "partners",
}  # fmt: skip

# Words of organisations often named after a place that is not where the story happens ("Aleppo Media Center",
# "Raqqa Front"); a local institution ("Athens Police Department") places the story.
NAMED_AFTER_ORG_WORDS = {"media", "network", "observatory", "coalition", "front", "brigade", "brigades", "forces",
                         "militia", "party", "monitor"}  # fmt: skip

# Last words of a military operation's name ("Euphrates Shield", "Desert Storm"); "Operation X" is one too.
OPERATION_WORDS = {"shield", "storm", "wrath", "fury", "sword", "thunder", "lightning", "resolve", "dawn", "spring",
                   "freedom", "eagle", "hammer", "anvil"}  # fmt: skip

# Car makes: before a capitalised model ("Toyota Avensis") or after a year ("2008 Ford"), a vehicle, not a place.
CAR_MAKES = {
    "ford", "toyota", "honda", "chevrolet", "chevy", "dodge", "chrysler", "jeep", "buick", "cadillac", "gmc",
    "oldsmobile", "pontiac", "lincoln", "mercury", "saturn", "nissan", "mazda", "subaru", "mitsubishi", "suzuki",
    "hyundai", "kia", "lexus", "acura", "infiniti", "volkswagen", "vw", "audi", "bmw", "mercedes", "mercedes-benz",
    "porsche", "volvo", "saab", "peugeot", "renault", "citroen", "citroën", "fiat", "lancia", "ferrari",
    "lamborghini", "maserati", "seat", "skoda", "škoda", "opel", "vauxhall", "jaguar", "bentley", "tesla",
    "plymouth", "datsun", "daewoo", "isuzu", "hummer", "scion", "dacia", "lada", "proton", "holden", "yamaha",
    "kawasaki", "ducati", "harley-davidson", "triumph", "alfa", "cupra",
}  # fmt: skip

# Names a city's district goes by in many cities ("Mosul's Old City"): a part of the city named before.
CITY_PARTS = {"old city", "old town", "old quarter", "medina", "kasbah", "city centre", "city center"}

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
    "none", "nothing", "nobody", "someone", "something", "everyone", "everything", "anyone", "anything", "let",
    "give", "take", "make", "thank",
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

MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}

# Last words that make a capitalised phrase a street or a road, not a place ("Dublin Road", "Orchard St.").
STREET_WORDS = {
    "street", "st", "road", "rd", "avenue", "ave", "av", "boulevard", "blvd", "drive", "dr", "lane", "ln", "way",
    "place", "pl", "highway", "hwy", "parkway", "pkwy", "circle", "cir", "terrace", "trail", "pike", "expressway",
    "freeway", "turnpike", "alley", "row", "crescent",
}  # fmt: skip
# First words of numbered roads ("Route 66", "County Road 109", "Interstate 29").
ROAD_NUMBER_WORDS = {"route", "highway", "interstate", "road", "hwy", "us", "sr", "loop", "exit", "i"}

# Words that qualify a place name that follows ("Northeast Georgia", "Metro Nashville"): not places themselves.
QUALIFIERS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "northeast", "northwest",
    "southeast", "southwest", "northeastern", "northwestern", "southeastern", "southwestern", "central", "upper",
    "lower", "greater", "metro", "downtown", "upstate", "downstate", "midtown", "rural", "suburban", "coastal",
    "ne", "nw", "se", "sw", "n.e.", "n.w.", "s.e.", "s.w.",
}  # fmt: skip

# First words of place names that the first-name list also has ("San Jose", "Glen Carbon", "Sri Lanka").
PLACE_LEADS = {
    "san", "santa", "santo", "sao", "rio", "los", "las", "el", "la", "le", "les", "al", "abu", "ain", "tal", "wadi",
    "sri", "hong", "glen", "long", "des", "bay", "royal", "port", "grand", "palm", "cape", "costa", "puerto", "del",
    "buenos", "kuala", "ras", "beit", "deir", "umm", "bir",
}  # fmt: skip

# Abbreviations of places as written in English news, and the name the gazetteer knows.
ABBREVIATIONS: dict[str, str] = {
    "U.S.": "United States", "US": "United States", "USA": "United States", "U.S.A.": "United States",
    "U.K.": "United Kingdom", "UK": "United Kingdom", "UAE": "United Arab Emirates", "U.A.E.": "United Arab Emirates",
    "DRC": "Democratic Republic of the Congo", "D.C.": "District of Columbia", "NYC": "New York City",
    "L.A.": "Los Angeles", "N.H.": "New Hampshire", "N.J.": "New Jersey", "N.M.": "New Mexico", "N.Y.": "New York",
    "N.C.": "North Carolina", "N.D.": "North Dakota", "R.I.": "Rhode Island", "S.C.": "South Carolina",
    "S.D.": "South Dakota", "W.Va.": "West Virginia", "W. Va.": "West Virginia",
}  # fmt: skip
# US state abbreviations (AP style) that are also words or titles ("Del.", "Miss."): places only after a
# town, as in "Caddo, Okla." (the dotted two-letter ones, "S.C.", are in ABBREVIATIONS).
STATE_ABBREVIATIONS: dict[str, str] = {
    "Ala.": "Alabama", "Ariz.": "Arizona", "Ark.": "Arkansas", "Calif.": "California", "Colo.": "Colorado",
    "Conn.": "Connecticut", "Del.": "Delaware", "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois",
    "Ind.": "Indiana", "Kan.": "Kansas", "Kans.": "Kansas", "Ky.": "Kentucky", "La.": "Louisiana",
    "Md.": "Maryland", "Mass.": "Massachusetts", "Mich.": "Michigan", "Minn.": "Minnesota", "Miss.": "Mississippi",
    "Mo.": "Missouri", "Mont.": "Montana", "Neb.": "Nebraska", "Nev.": "Nevada", "Okla.": "Oklahoma",
    "Ore.": "Oregon", "Pa.": "Pennsylvania", "Tenn.": "Tennessee", "Tex.": "Texas", "Vt.": "Vermont",
    "Va.": "Virginia", "Wash.": "Washington", "Wis.": "Wisconsin", "Wyo.": "Wyoming",
}  # fmt: skip


@cache
def _given_names() -> dict[str, float]:
    """US given names (folded) and the percentage of people who bear them (the 1990 census lists).

    The lists ship with the ``names`` package (MIT; the census data is public domain).
    """
    out: dict[str, float] = {}
    for part in ("dist.male.first", "dist.female.first"):
        for line in (resources.files("names") / part).read_text(encoding="ascii").splitlines():
            name, percent = line.split()[:2]
            out[name.casefold()] = max(out.get(name.casefold(), 0.0), float(percent))
    return out


@cache
def first_names() -> frozenset[str]:
    """Every given name on the lists: enough to read "Scott Newsham" as a person."""
    return frozenset(_given_names())


@cache
def common_first_names() -> frozenset[str]:
    """Names of at least one person in 10,000 ("Kristina", "Tim"), not rare ones that are mostly words or places."""
    return frozenset(name for name, percent in _given_names().items() if percent >= 0.01)


@cache
def surnames() -> frozenset[str]:
    """US surnames borne by at least one person in 100,000 (the census list in ``names``): "Jackson" of "Mat Jackson"."""
    out = set()
    for line in (resources.files("names") / "dist.all.last").read_text(encoding="ascii").splitlines():
        name, percent = line.split()[:2]
        if float(percent) >= 0.001:
            out.add(name.casefold())
    return frozenset(out)
