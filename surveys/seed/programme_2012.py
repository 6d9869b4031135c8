"""The programme's standard reputation questionnaire, version 1.

The seed asks what reputation is – «summen av egenskaper som andre tillegger oss» – and that it
be measured at the baseline and at the end, but gives no questions. These statements are
therefore a default the programme can change in ``/admin/`` until the first answer arrives
(after that, a change is a new version). Five are about the municipality as an employer, five
about it as a community; each in Bokmål, Nynorsk and English.
"""

from core.translated_fields import per_language
from network.seed.programme_2012 import programme as programme_2012

from ..models import Questionnaire, Statement, StatementGroup

EMPLOYER, COMMUNITY = StatementGroup.EMPLOYER, StatementGroup.COMMUNITY

# (code, group, Bokmål, Nynorsk, English)
STATEMENTS = [
    (
        "attraktiv-arbeidsgiver",
        EMPLOYER,
        "Kommunen er en attraktiv arbeidsgiver.",
        "Kommunen er ein attraktiv arbeidsgjevar.",
        "The municipality is an attractive employer.",
    ),
    (
        "anbefale-arbeidsplass",
        EMPLOYER,
        "Jeg ville anbefalt kommunen som arbeidsplass.",
        "Eg ville tilrådd kommunen som arbeidsplass.",
        "I would recommend the municipality as a place to work.",
    ),
    (
        "faglig-utvikling",
        EMPLOYER,
        "Kommunen gir de ansatte gode muligheter til faglig utvikling.",
        "Kommunen gir dei tilsette gode høve til fagleg utvikling.",
        "The municipality gives its employees good opportunities to develop professionally.",
    ),
    (
        "gode-ledere",
        EMPLOYER,
        "Kommunen har gode ledere.",
        "Kommunen har gode leiarar.",
        "The municipality has good managers.",
    ),
    (
        "stolte-ansatte",
        EMPLOYER,
        "De ansatte i kommunen er stolte av jobben de gjør.",
        "Dei tilsette i kommunen er stolte av jobben dei gjer.",
        "The municipality's employees are proud of the work they do.",
    ),
    (
        "respekt",
        COMMUNITY,
        "Kommunen behandler innbyggerne med respekt.",
        "Kommunen behandlar innbyggjarane med respekt.",
        "The municipality treats its residents with respect.",
    ),
    (
        "gode-tjenester",
        COMMUNITY,
        "Kommunen gir gode tjenester.",
        "Kommunen gir gode tenester.",
        "The municipality provides good services.",
    ),
    (
        "apenhet",
        COMMUNITY,
        "Kommunen er åpen og informerer godt om det den gjør.",
        "Kommunen er open og informerer godt om det han gjer.",
        "The municipality is open and informs well about what it does.",
    ),
    (
        "tillit",
        COMMUNITY,
        "Jeg har tillit til at kommunen tar gode beslutninger.",
        "Eg har tillit til at kommunen tek gode avgjerder.",
        "I trust the municipality to make good decisions.",
    ),
    (
        "godt-sted-a-bo",
        COMMUNITY,
        "Kommunen er et godt sted å bo.",
        "Kommunen er ein god stad å bu.",
        "The municipality is a good place to live.",
    ),
]

INTRO = (
    "Kommunen vil vite hvordan du ser den – som arbeidsgiver og som samfunn. "
    "Det tar om lag fem minutter.",
    "Kommunen vil vite korleis du ser han – som arbeidsgjevar og som samfunn. "
    "Det tek om lag fem minutt.",
    "The municipality would like to know how you see it – as an employer and as a community. "
    "It takes about five minutes.",
)
WORDS_QUESTION = (
    "Hvilke tre ord beskriver kommunen?",
    "Kva for tre ord skildrar kommunen?",
    "Which three words describe the municipality?",
)


def load() -> None:
    """Create version 1 when the programme has no questionnaire yet; never overwrite."""
    programme = programme_2012()
    if Questionnaire.objects.filter(programme=programme).exists():
        return
    questionnaire = Questionnaire.objects.create(
        programme=programme,
        version=1,
        **per_language("intro", INTRO),
        **per_language("words_question", WORDS_QUESTION),
    )
    Statement.objects.bulk_create(
        Statement(
            questionnaire=questionnaire,
            position=position,
            code=code,
            group=group,
            **per_language("text", texts),
        )
        for position, (code, group, *texts) in enumerate(STATEMENTS, 1)
    )
