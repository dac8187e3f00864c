"""People's names compared the way a shop assistant would: accents, case, order and nicknames aside.

Pure. "González, María", "MARIA GONZALEZ" and "Mari González Pérez" are one name written
three ways; "Juan Pérez" and "María Pérez" are two people of one family. Tokens are
compared one to one (the best pairing wins), Jaro-Winkler for typos, a hand-written table
for Spanish and Portuguese hypocoristics, and a missing second surname or second given
name costs little.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import JaroWinkler

NameLevel = Literal[
    "exact",
    "nickname",
    "partial",
    "fuzzy-high",
    "fuzzy-low",
    "single",
    "one-differs",
    "different",
    "missing",
]
"""How two names relate, strongest first.

``partial``: every token of the shorter name (two or more) is in the longer one (a second
surname or given name left out). ``single``: one side is a single token found in the
other ("María" and "María González"): weak evidence. ``one-differs``: a word agrees and
another is clearly different ("Juan Pérez" and "María Pérez"): relatives, or a typist who
replaced a word.
"""

# Joining words of surnames ("de la Fuente", "da Silva", "Ortega y Gasset"): not evidence.
PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "du", "y", "e", "van", "von"}
)
# Courtesy titles written before names at the counter.
_TITLES = frozenset({"sr", "sra", "srta", "dr", "dra", "lic", "ing", "prof", "don", "dona"})

_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# Nickname → the full names it stands for (folded). Several entries for one nickname when
# it is used for more than one name ("Beto": Alberto, Roberto, Humberto). A full name with a
# space ("jose maria") is a compound nickname: "Chema" is José María.
_NICKNAMES: dict[str, tuple[str, ...]] = {
    # Spanish, men
    "pepe": ("jose",),
    "pepito": ("jose",),
    "chepe": ("jose",),
    "paco": ("francisco",),
    "pancho": ("francisco",),
    "curro": ("francisco",),
    "fran": ("francisco", "francisca"),
    "quico": ("francisco",),
    "nacho": ("ignacio",),
    "chema": ("jose maria",),
    "josema": ("jose manuel",),
    "juanjo": ("juan jose",),
    "juanma": ("juan manuel",),
    "juanca": ("juan carlos",),
    "juanpa": ("juan pablo",),
    "memo": ("guillermo",),
    "guille": ("guillermo", "guillermina"),
    "beto": ("alberto", "roberto", "humberto"),
    "tito": ("alberto", "roberto"),
    "fer": ("fernanda", "fernando"),
    "nando": ("fernando",),
    "toño": ("antonio",),
    "tono": ("antonio",),
    "toni": ("antonio",),
    "tony": ("antonio",),
    "manolo": ("manuel",),
    "manu": ("manuel", "manuela", "emanuel"),
    "lolo": ("manuel",),
    "quique": ("enrique",),
    "kike": ("enrique",),
    "chuy": ("jesus",),
    "chucho": ("jesus",),
    "chus": ("jesus",),
    "chente": ("vicente",),
    "chava": ("salvador",),
    "goyo": ("gregorio",),
    "lalo": ("eduardo",),
    "edu": ("eduardo",),
    "lucho": ("luis",),
    "nico": ("nicolas",),
    "santi": ("santiago",),
    "tomi": ("tomas",),
    "mati": ("matias",),
    "agus": ("agustin", "agustina"),
    "maxi": ("maximiliano",),
    "fede": ("federico",),
    "seba": ("sebastian",),
    "tincho": ("martin",),
    "benja": ("benjamin",),
    "joaco": ("joaquin",),
    "gonza": ("gonzalo",),
    "rodri": ("rodrigo",),
    "migue": ("miguel",),
    "javi": ("javier",),
    "alex": ("alejandro", "alexandre", "alexander"),
    "ale": ("alejandro", "alejandra"),
    "rafa": ("rafael", "rafaela"),
    "dani": ("daniel", "daniela"),
    "cris": ("cristian", "cristina", "cristiano"),
    "pato": ("patricio", "patricia"),
    "moncho": ("ramon",),
    "juancho": ("juan",),
    "juanchi": ("juan",),
    "lencho": ("lorenzo",),
    "pipe": ("felipe",),
    "lipe": ("felipe",),
    "leo": ("leonardo", "leandro", "leonel"),
    "gabo": ("gabriel",),
    "chelo": ("marcelo", "consuelo"),
    "nano": ("fernando", "mariano"),
    "emi": ("emiliano", "emilia"),
    "bauti": ("bautista",),
    "lauti": ("lautaro",),
    "facu": ("facundo",),
    "juli": ("julian", "julieta", "julia", "juliana"),
    # Spanish, women
    "lupe": ("guadalupe",),
    "lupita": ("guadalupe",),
    "mari": ("maria",),
    "maru": ("maria",),
    "conchi": ("concepcion",),
    "concha": ("concepcion",),
    "conchita": ("concepcion",),
    "tere": ("teresa",),
    "maite": ("maria teresa",),
    "maribel": ("maria isabel",),
    "marisa": ("maria luisa",),
    "malu": ("maria luisa",),
    "majo": ("maria jose",),
    "mariajo": ("maria jose",),
    "maripaz": ("maria paz",),
    "marisol": ("maria soledad",),
    "charo": ("rosario",),
    "chayo": ("rosario",),
    "lola": ("dolores",),
    "loli": ("dolores",),
    "pili": ("pilar",),
    "nati": ("natalia",),
    "sole": ("soledad",),
    "vicky": ("victoria",),
    "vicki": ("victoria",),
    "gaby": ("gabriela", "gabriel"),
    "gabi": ("gabriela", "gabriel"),
    "luchi": ("luciana", "lucia"),
    "meche": ("mercedes",),
    "merche": ("mercedes",),
    "chela": ("graciela",),
    "chabela": ("isabel",),
    "isa": ("isabel",),
    "licha": ("alicia",),
    "pepa": ("josefa", "josefina"),
    "fina": ("josefina",),
    "paca": ("francisca",),
    "paqui": ("francisca",),
    "inma": ("inmaculada",),
    "encarna": ("encarnacion",),
    "reme": ("remedios",),
    "rosi": ("rosa", "rosario"),
    "nuri": ("nuria",),
    "bea": ("beatriz",),
    "flor": ("florencia",),
    "flopy": ("florencia",),
    "vale": ("valentina", "valeria"),
    "cami": ("camila",),
    "caro": ("carolina",),
    "carol": ("carolina",),
    "romi": ("romina",),
    "mica": ("micaela",),
    "anto": ("antonella", "antonia"),
    "delfi": ("delfina",),
    "flavi": ("flavia",),
    "marce": ("marcela", "marcelo"),
    "sabri": ("sabrina",),
    "pau": ("paula", "paulina"),
    "marga": ("margarita",),
    "cata": ("catalina",),
    "jime": ("jimena",),
    "lu": ("lucia", "luciana", "luana", "luisa"),
    "coni": ("constanza",),
    "pame": ("pamela",),
    "vero": ("veronica",),
    "moni": ("monica",),
    "sil": ("silvia", "silvina"),
    "gra": ("graciela",),
    # Portuguese
    "ze": ("jose",),
    "zezinho": ("jose",),
    "juca": ("jose",),
    "chico": ("francisco",),
    "chiquinho": ("francisco",),
    "tonho": ("antonio",),
    "toninho": ("antonio",),
    "tonico": ("antonio",),
    "bia": ("beatriz",),
    "biel": ("gabriel",),
    "dudu": ("eduardo",),
    "duda": ("eduarda", "maria eduarda"),
    "nandinho": ("fernando",),
    "guto": ("augusto", "gustavo"),
    "quim": ("joaquim",),
    "vini": ("vinicius",),
    "gui": ("guilherme",),
    "thi": ("thiago", "tiago"),
    "tati": ("tatiana",),
    "fabi": ("fabiana", "fabio"),
    "lele": ("leticia",),
    "re": ("renata",),
    "tonha": ("antonia",),
    "manel": ("manoel",),
    "rafinha": ("rafael", "rafaela"),
    "juju": ("julia", "juliana"),
    "mah": ("mariana",),
    "nanda": ("fernanda",),
    "jo": ("joao", "joana"),
}

# One name spelled per language or per habit: treated as a nickname match.
_SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("jose", "josé"),
    ("juan", "joao"),
    ("luis", "luiz"),
    ("manuel", "manoel"),
    ("thiago", "tiago"),
    ("mateo", "mateus", "matheus"),
    ("felipe", "filipe", "phelipe"),
    ("enrique", "henrique"),
    ("joaquin", "joaquim"),
    ("agustin", "augustin"),
    ("sebastian", "sebastiao"),
    ("cristian", "christian", "cristhian"),
    ("jhon", "john", "jon"),
    ("brayan", "brian", "bryan"),
    ("gonzalez", "gonzales"),
    ("pereira", "pereyra"),
    ("ferreira", "ferreyra"),
    ("souza", "sousa"),
    ("jesica", "jessica", "yesica"),
    ("yuliana", "juliana"),
    ("johana", "yohana", "joana"),
)


# Common given names of Spain, Portugal and Latin America (folded). Two different names of
# this list are two names, never a typo of one another, however alike they look
# (Valeria/Valentina, Lucía/Luciana, Julia/Julieta): relatives are often named alike.
def _words(text: str) -> frozenset[str]:
    """A list written as a block of words (compact, and the formatter keeps it)."""
    return frozenset(text.split())


_GIVEN_NAMES = _words(
    """
    abigail abril adrian adriana agustin agustina aitana alan alba alberto alejandra alejandro
    alexandra alexandre alfonso alfredo alicia alma alvaro amanda amelia ana andrea andres
    angel angela angeles angelica anibal antonella antonia antonio ariadna ariana ariel arturo
    augusto aurora barbara beatriz belen benjamin bernardo blanca brenda bruna bruno camila
    camilo candela carla carlos carmen carolina catalina cecilia celeste cesar clara claudia
    claudio constanza cristian cristina cristobal dafne damian dana daniel daniela dario david
    debora delfina diana diego dolores eduarda eduardo elena eliana elias elisa eloisa elsa
    emilia emiliano emilio enrique ernesto esteban estela estefania eugenia eugenio eva
    ezequiel fabian fabiana fabio facundo federico felipe fernanda fernando florencia franco
    francisca francisco gabriel gabriela gaston gerardo german gisela gonzalo graciela
    guadalupe guido guillermo gustavo hector helena hernan hilda hugo ignacio ines irene isabel
    isabela isabella ivan jaime javier jesica jimena joana joao joaquin jorge jose josefa
    josefina juan juana julia julian juliana julieta julio karina laura lautaro leandro leila
    leonardo leonel leticia lidia liliana lorena lorenzo lourdes lucas lucia luciana luciano
    lucio luis luisa luz magdalena malena manuel manuela marcela marcelo marcos margarita
    maria mariana mariano maribel marina mario marisa marta martin martina mateo matias maximo
    maximiliano melina mercedes micaela miguel milagros miriam monica nahuel natalia nicolas
    noelia norma octavio olga oliver olivia oscar pablo paola patricia patricio paula paulina
    paulo pedro pilar rafael rafaela ramiro ramon raquel raul rebeca renata ricardo rita
    roberto rocio rodrigo rogelio romina rosa rosario ruben sabrina salvador samuel sandra
    santiago sara sebastian sergio silvana silvia silvina simon sofia soledad sonia susana
    tamara teresa thiago tiago tomas valentin valentina valeria vanesa vanessa veronica
    vicente victor victoria virginia viviana walter ximena yamila yanina zoe
    """
)

# Diminutive endings ("Juancito", "Anita", "Joãozinho"): the stem is the name.
_DIMINUTIVES = ("cito", "cita", "zinho", "zinha", "inho", "inha", "ito", "ita", "ucha", "ucho")


@lru_cache(maxsize=65_536)  # cities, words and names come back on line after line
def fold(text: str) -> str:
    """Lower case, no accents (ñ → n, ç → c), punctuation to single spaces: how names compare."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", bare).strip()


@lru_cache(maxsize=65_536)  # a batch repeats the same names many times
def name_tokens(name: str) -> tuple[str, ...]:
    """The words that identify a person, folded: particles and courtesy titles left out.

    "González, María" is read as surname(s), given name(s) and put back in speaking order;
    order does not matter for matching, it only keeps the display natural.
    """
    head, comma, tail = name.partition(",")
    if comma and tail.strip() and "," not in tail:
        name = f"{tail} {head}"
    tokens: list[str] = []
    for token in fold(name).split():
        if token in PARTICLES or token in _TITLES or token.isdigit() or token in tokens:
            continue
        tokens.append(token)
    return tuple(tokens)


@dataclass(frozen=True, slots=True)
class NameComparison:
    """How two names relate: a ``level`` and the mean token similarity behind it (0 to 1)."""

    level: NameLevel
    similarity: float


_MISSING = NameComparison("missing", 0.0)
_EXACT = NameComparison("exact", 1.0)
_NICKNAME_SIMILARITY = 0.97
_INITIAL_SIMILARITY = 0.9
_HIGH = 0.9  # every token at least this similar: a typo ("Gonzales", "Rodrigez")
_LOW = 0.78


def _build_groups() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for nickname, names in _NICKNAMES.items():
        for full in names:
            if " " not in full:
                groups.setdefault(fold(nickname), set()).add(full)
                groups.setdefault(full, set()).add(full)
    for spellings in _SPELLINGS:
        folded = {fold(s) for s in spellings}
        for spelling in folded:
            groups.setdefault(spelling, set()).update(folded)
    return {name: frozenset(group) for name, group in groups.items()}


_GROUPS = _build_groups()
_COMPOUNDS: dict[str, tuple[str, ...]] = {
    fold(nickname): tuple(full.split())
    for nickname, names in _NICKNAMES.items()
    for full in names
    if " " in full
}


def nickname_pairs() -> tuple[tuple[str, str], ...]:
    """Every (nickname, full name) pair the table knows, for documentation and tests."""
    return tuple(sorted((nick, full) for nick, names in _NICKNAMES.items() for full in names))


def _stem(token: str) -> str:
    """Juancito → juan, Juanita → juana, Pedrito → pedro, Anita → ana, Joãozinho → joao."""
    for ending in _DIMINUTIVES:
        if token.endswith(ending) and len(token) - len(ending) >= 2:
            stem = token[: -len(ending)]
            masculine = ending.endswith("o")
            gendered = stem + ("o" if masculine else "a")
            if gendered not in _GROUPS and masculine and stem in _GROUPS:
                return stem
            return gendered
    return token


def same_name(a: str, b: str) -> bool:
    """True when two folded tokens are one name: equal, nickname, spelling or diminutive."""
    if a == b:
        return True
    group_a = _GROUPS.get(a) or _GROUPS.get(_stem(a))
    group_b = _GROUPS.get(b) or _GROUPS.get(_stem(b))
    if group_a is not None and group_b is not None:
        return not group_a.isdisjoint(group_b)
    return _stem(a) == b or _stem(b) == a


@lru_cache(maxsize=200_000)
def _token_similarity(a: str, b: str) -> tuple[float, bool]:
    """(similarity, is_nickname) of two different folded tokens."""
    if same_name(a, b):
        return _NICKNAME_SIMILARITY, True
    if len(a) == 1 or len(b) == 1:  # an initial: "J." for "José"
        return (_INITIAL_SIMILARITY if a[0] == b[0] else 0.0), False
    if _other_gender(a, b):  # Mario/María, Juan/Juana: siblings and spouses, not typos
        return 0.0, False
    if a in _GIVEN_NAMES and b in _GIVEN_NAMES:  # Valeria/Valentina: two names
        return 0.0, False
    return JaroWinkler.similarity(a, b), False


def _other_gender(a: str, b: str) -> bool:
    if len(a) > len(b):
        a, b = b, a
    if b == a + "a":
        return True
    return len(a) == len(b) and a[:-1] == b[:-1] and {a[-1], b[-1]} == {"a", "o"}


def _expand(tokens: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    """Compound nicknames spelled out ("chema" → "jose maria") unless the other side has them."""
    if not any(t in _COMPOUNDS for t in tokens):
        return tokens
    expanded: list[str] = []
    for token in tokens:
        parts = _COMPOUNDS.get(token)
        if parts is None or token in other:
            expanded.append(token)
        else:
            expanded.extend(p for p in parts if p not in expanded)
    return tuple(expanded)


def name_similarity(a_tokens: tuple[str, ...], b_tokens: tuple[str, ...]) -> NameComparison:
    """Compare two names token by token, in any order; the shorter name decides the level."""
    if not a_tokens or not b_tokens:
        return _MISSING
    if a_tokens == b_tokens and len(a_tokens) > 1:
        return _EXACT
    return _compare(a_tokens, b_tokens)


@lru_cache(maxsize=100_000)
def _compare(a_tokens: tuple[str, ...], b_tokens: tuple[str, ...]) -> NameComparison:
    a = _expand(a_tokens, b_tokens)
    b = _expand(b_tokens, a_tokens)
    spelled_out = a != a_tokens or b != b_tokens  # "Chema" read as "José María"
    if len(a) > len(b):
        a, b = b, a
    if len(a) == 1:  # one word only ("María", "Beto"): never more than weak evidence
        return _compare_single(a[0], b)
    rest_b = list(b)
    rest_a: list[str] = []
    for token in a:  # exact tokens pair first
        if token in rest_b:
            rest_b.remove(token)
        else:
            rest_a.append(token)
    if not rest_a:
        if len(a) == len(b):
            return NameComparison("nickname", 1.0) if spelled_out else _EXACT
        return NameComparison("partial", 1.0)
    scored = sorted(
        (
            (*_token_similarity(x, y), i, j)
            for i, x in enumerate(rest_a)
            for j, y in enumerate(rest_b)
        ),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    nickname = False
    best: list[float] = []
    for similarity, is_nickname, i, j in scored:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        best.append(similarity)
        nickname = nickname or is_nickname
    best.extend(0.0 for _ in range(len(rest_a) - len(best)))
    exact = len(a) - len(rest_a)
    mean = (exact + sum(best)) / len(a)
    worst = min(best)
    if worst >= _NICKNAME_SIMILARITY and nickname:
        return NameComparison("nickname" if len(a) == len(b) else "partial", mean)
    if worst >= _HIGH:
        return NameComparison("fuzzy-high", mean)
    if worst >= _LOW:
        return NameComparison("fuzzy-low", mean)
    if exact or max(best) >= _HIGH:
        return NameComparison("one-differs", mean)
    return NameComparison("different", mean)


def _compare_single(token: str, other: tuple[str, ...]) -> NameComparison:
    best = max(1.0 if token == o else _token_similarity(token, o)[0] for o in other)
    return NameComparison("single" if best >= _HIGH else "different", best)
