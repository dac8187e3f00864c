"""Whether a message must go to a person at once, and why. Pure.

The bot must never answer an angry or high-stakes message alone (DESIGN.md). The signal reads
the message (anger, insults, shouting, a consumer-protection agency, lawyers, a product that
hurt someone, "third time I write") and what the caller knows about the contact (how often
they wrote without an answer, a valuable customer at risk). Word lists are the team's own,
matched on folded text (no accents, lower case) and whole-word prefixes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from mostrador.assistant.text import strip_accents

__all__ = ["Escalation", "Reason", "escalation"]

Reason = Literal[
    "regulator", "legal", "safety", "insult", "anger", "shouting", "repeated_contact",
    "valuable_customer_at_risk",
]  # fmt: skip

# Each phrase is a regular expression over folded text, anchored at a word start.
_REGULATOR: Final = (
    r"defensa del consumidor", r"defensa al consumidor", r"profeco", r"procon", r"reclame ?aqui",
    r"sernac", r"\bsic\b", r"superintendencia", r"\bomic\b", r"indecopi", r"consumidor\.gov",
    r"hoja de reclamacion", r"libro de reclamacion", r"livro de reclamac", r"\bdeco\b",
    r"consumer protection", r"consumer affairs", r"\bbbb\b", r"better business bureau",
    r"trading standards", r"\bftc\b", r"ombudsman", r"consumo responsable",
    r"oficina del consumidor",
    r"direccion (?:general )?de (?:defensa del )?consumo", r"reclamo formal",
)  # fmt: skip
_LEGAL: Final = (
    r"abogad", r"advogad", r"lawyer", r"attorney", r"demand(?:a|ar|are|o)\b", r"denuncia",
    r"juicio", r"tribunal", r"judicial", r"processar", r"na justica", r"\bsue\b",
    r"suing", r"lawsuit", r"legal action", r"small claims", r"chargeback", r"contracargo",
    r"desconocer (?:el|la) (?:pago|compra|cargo)", r"carta documento", r"estafa",
    r"fraude", r"fraud", r"\bscam", r"(?:e|eh|um|que|isso e) golpe\b", r"golpistas?",
    r"policia", r"police", r"processo judicial", r"(?:abrir|entrar com) (?:um )?processo",
)  # fmt: skip
_SAFETY: Final = (
    r"se quemo", r"me queme", r"quemadura", r"quemo a", r"prendio fuego", r"incendi",
    r"explot", r"electrocut", r"descarga electrica", r"dio corriente", r"patada electrica",
    r"alergi", r"intoxic", r"envenen", r"sangr", r"herid", r"lastim", r"cortada", r"hospital",
    r"guardia medica", r"emergencia", r"asfixi", r"atragant", r"queimou", r"queimad",
    r"pegou fogo", r"choque eletrico", r"machuc", r"burn(?:ed|t|s)?\b", r"caught fire",
    r"on fire", r"exploded", r"electric shock", r"allerg", r"rash", r"injur", r"bleed",
    r"choking", r"poison", r"toxic", r"toxico", r"peligroso", r"perigoso", r"dangerous",
    r"erupcion", r"ronchas", r"irritacion", r"irritou",
)  # fmt: skip
_INSULT: Final = (
    r"mierda", r"carajo", r"la puta", r"puta madre", r"hdp", r"hijos de puta", r"boludo",
    r"pelotud", r"pendej", r"cabron", r"chanta", r"ladron", r"ladrao", r"ladroes", r"inutil",
    r"incompetent", r"idiota", r"imbecil", r"estupid", r"gilipoll", r"joder", r"cono\b",
    r"chinga", r"verga", r"hijueputa", r"malparid", r"weon", r"culiao", r"sinverguenza",
    r"caradura", r"merda", r"porra\b", r"caralho", r"palhacada", r"lixo", r"vagabund",
    r"safad", r"otarios", r"fuck", r"shit", r"crap\b", r"bullshit", r"idiots?\b", r"morons?\b",
    r"thieves", r"useless", r"pathetic", r"clowns?\b", r"wtf", r"damn", r"bloody",
    r"porqueria", r"una basura", r"son basura", r"un asco", r"que asco", r"verguenza",
    r"vergonha", r"desgraciad", r"ridicul", r"disgusting", r"joke of a", r"what the hell",
)  # fmt: skip
_ANGER: Final = (
    r"pesim", r"horrible", r"terrible", r"nunca mas", r"nunca mais", r"never again",
    r"indignad", r"furios", r"harta\b", r"harto\b", r"podrid", r"cansad[ao] de", r"cansei",
    r"estoy re caliente", r"me tienen", r"falta de respeto", r"falta de respeito",
    r"absurdo", r"inaceptable", r"inaceitavel", r"unacceptable", r"outrageous", r"furious",
    r"fed up", r"sick of", r"worst", r"peor (?:servicio|atencion|empresa|tienda)",
    r"pior (?:servico|atendimento|loja|empresa)", r"nadie (?:me )?(?:responde|contesta)",
    r"ninguem (?:me )?responde", r"no one (?:answers|replies)", r"nobody (?:answers|replies)",
    r"devuelvan (?:mi|la) plata", r"quiero mi (?:plata|dinero)", r"quero meu dinheiro",
    r"want my money back", r"mala onda", r"tomando el pelo", r"me estan jodiendo",
    r"una burla", r"uma piada", r"sacanagem", r"descaro", r"abusivo", r"abuso",
)  # fmt: skip
_REPEATED: Final = (
    r"(?:segunda|tercera|tercer|cuarta|quinta|enesima|\d+a?) vez",
    r"(?:segunda|terceira|quarta|quinta|\d+a?) vez",
    r"(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time",
    r"ya (?:les |te |le )?(?:escribi|mande|llame|reclame|pregunte|consulte)",
    r"ja (?:escrevi|mandei|liguei|reclamei|perguntei)",
    r"already (?:wrote|messaged|emailed|called|asked|contacted)",
    r"(?:escribi|mande|llame|reclame|escrevi|liguei|wrote|called|messaged|emailed)\w* "
    r"(?:ya |you |voces |\w+ )?(?:\d+|dos|tres|cuatro|cinco|varias|mil|duas|quatro|two|three|"
    r"four|five|several|many) (?:veces|vezes|times)",
    r"(?:\d+|dos|tres|cuatro|cinco|varias|mil|duas|quatro|two|three|four|five|several|many) "
    r"(?:veces|vezes|times) (?:que )?(?:escribo|llamo|reclamo|pregunto|escrevo|ligo|"
    r"i(?:'ve| have)? (?:written|called|asked|messaged))",
    r"otra vez lo mismo", r"again and again", r"todavia sin respuesta", r"sin respuesta de nadie",
    r"no one has answered", r"nobody has answered", r"ninguem respondeu",
)  # fmt: skip


def _compiled(phrases: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z])(?:" + "|".join(phrases) + ")")


_PATTERNS: Final[tuple[tuple[Reason, re.Pattern[str]], ...]] = (
    ("regulator", _compiled(_REGULATOR)),
    ("legal", _compiled(_LEGAL)),
    ("safety", _compiled(_SAFETY)),
    ("insult", _compiled(_INSULT)),
    ("repeated_contact", _compiled(_REPEATED)),
    ("anger", _compiled(_ANGER)),
)
# Strong reasons escalate alone; anger and shouting only together (or anger twice).
_STRONG: Final = frozenset({"regulator", "legal", "safety", "insult", "repeated_contact"})
_SHOUTING_LETTERS: Final = 12
_SHOUTING_SHARE: Final = 0.7
_UNANSWERED_TOO_MANY: Final = 3


@dataclass(frozen=True, slots=True)
class Escalation:
    escalate: bool
    reasons: tuple[Reason, ...]


def _shouting(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < _SHOUTING_LETTERS:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper / len(letters) >= _SHOUTING_SHARE or text.count("!") >= 4


def escalation(
    text: str, *, unanswered_messages: int = 0, valuable_at_risk: bool = False
) -> Escalation:
    """The escalation signal of one message, given what the caller knows about its sender."""
    folded = strip_accents(text.lower())
    reasons: list[Reason] = [reason for reason, pattern in _PATTERNS if pattern.search(folded)]
    anger_count = len(_PATTERNS[-1][1].findall(folded))
    if _shouting(text):
        reasons.append("shouting")
    if unanswered_messages >= _UNANSWERED_TOO_MANY and "repeated_contact" not in reasons:
        reasons.append("repeated_contact")
    if valuable_at_risk:
        reasons.append("valuable_customer_at_risk")
    strong = any(reason in _STRONG for reason in reasons)
    soft = ("anger" in reasons and "shouting" in reasons) or anger_count >= 2
    at_risk = valuable_at_risk and ("anger" in reasons or "shouting" in reasons)
    return Escalation(strong or soft or at_risk, tuple(reasons))
