"""Evaluation metrics for boilerplate removal (stdlib only).

Implements the definitions of ``shared/corpora/README.md``:

* token-shingle precision/recall/F1 for ``full`` gold (scrapinghub's metric);
* snippet scoring for ``snippets`` gold (trafilatura's metric);
* leak rate per boilerplate category.

"Empty" text means text without any ``\\w+`` token throughout this module.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

__all__ = [
    "CATEGORIES",
    "CHECK_ORDER",
    "COMMENT_PATTERNS",
    "COOKIE_PATTERNS",
    "COPYRIGHT_PATTERNS",
    "DONATION_PATTERNS",
    "NEWSLETTER_PATTERNS",
    "PRIVACY_PATTERNS",
    "RELATED_PATTERNS",
    "RELATED_PREFIX_PATTERNS",
    "SHARE_PATTERNS",
    "DocScore",
    "SnippetScore",
    "Scorer",
    "boilerplate_pieces",
    "categorize",
    "collapse_ws",
    "piece_survives",
    "shingle_score",
    "shingles",
    "snippet_score",
    "tokens",
]

_TOKEN_RE = re.compile(r"\w+")
_WS_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------- #
# tokens and shingles
# --------------------------------------------------------------------------- #
def tokens(text: str) -> list[str]:
    """Matches of ``\\w+`` (Unicode), case kept."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str, n: int = 4) -> Counter:
    """Multiset of runs of ``n`` consecutive tokens (tuples).

    A text of fewer than ``n`` tokens is one shorter shingle; an empty text
    gives an empty Counter.
    """
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


@dataclass(frozen=True)
class DocScore:
    """Per-document shingle score; tp/fp/fn are normalised by tp+fp+fn."""

    tp: float
    fp: float
    fn: float
    precision: float
    recall: float

    @property
    def output_empty(self) -> bool:
        """True when the output has no shingle."""
        return self.tp + self.fp == 0

    @property
    def gold_empty(self) -> bool:
        """True when the gold has no shingle."""
        return self.tp + self.fn == 0

    @property
    def f1(self) -> float:
        """Per-document F1 (0 when precision+recall is 0)."""
        s = self.precision + self.recall
        return 2 * self.precision * self.recall / s if s else 0.0


def shingle_score(output: str, gold: str) -> DocScore:
    """Token-shingle score of ``output`` against ``gold``.

    Both empty: precision = recall = 1. Empty output (gold not): precision 0
    (undefined; corpus precision skips such documents), recall 0. Empty gold
    (output not): precision 0, recall 0 (undefined; skipped by corpus recall).
    """
    out_sh = shingles(output or "")
    gold_sh = shingles(gold or "")
    tp = sum((out_sh & gold_sh).values())
    fp = sum(out_sh.values()) - tp
    fn = sum(gold_sh.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return DocScore(0.0, 0.0, 0.0, 1.0, 1.0)
    ntp, nfp, nfn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return DocScore(ntp, nfp, nfn, precision, recall)


# --------------------------------------------------------------------------- #
# snippets
# --------------------------------------------------------------------------- #
def collapse_ws(text: str) -> str:
    """Collapse every run of whitespace to one space (ends are not stripped)."""
    return _WS_RE.sub(" ", text or "")


# Outputs are tested against many snippets/pieces in a row: collapse once.
_collapse_output = lru_cache(maxsize=8)(collapse_ws)


@dataclass(frozen=True)
class SnippetScore:
    """Snippet counts for one document (or a sum of documents)."""

    tp: int
    fn: int
    fp: int
    tn: int


def snippet_score(output: str | None, with_: Iterable[str],
                  without: Iterable[str]) -> SnippetScore:
    """Case-sensitive substring test after whitespace collapse.

    ``with_`` found -> tp, missing -> fn; ``without`` found -> fp, missing -> tn.
    ``None`` output is treated as empty text.
    """
    out = _collapse_output(output or "")
    tp = fn = fp = tn = 0
    for s in with_:
        if collapse_ws(s) in out:
            tp += 1
        else:
            fn += 1
    for s in without:
        if collapse_ws(s) in out:
            fp += 1
        else:
            tn += 1
    return SnippetScore(tp, fn, fp, tn)


# --------------------------------------------------------------------------- #
# boilerplate categories
# --------------------------------------------------------------------------- #
#: Category names reported by ``categorize`` ("other" is the fallback).
CATEGORIES: tuple[str, ...] = (
    "donation", "related", "comments", "newsletter", "share", "cookie",
    "copyright", "other",
)

# Keyword lists: case-insensitive regex fragments (en, de, fr, es, it, pt, nl,
# pl, cs, uk, ru). Substrings unless bounded by \b, so German compounds match.

#: A piece that *starts* with one of these is a teaser ("Read also: <headline>")
#: whatever the headline says.
RELATED_PREFIX_PATTERNS: tuple[str, ...] = (
    r"read (?:also|more|next)\b", r"also read\b", r"see also\b", r"related\b",
    r"more on\b", r"recommended\b",
    r"(?:lea|lee|lies|read|vea|veja|leia|lire|mire|mira|czytaj|zobacz|čtěte|"
    r"читайте)\s*:",
    r"le(?:a|e) más\b", r"puede(?:n)? interesar", r"puedes ver\b",
    r"lesen sie (?:auch|mehr)\b", r"lies auch\b", r"auch lesen\b",
    r"mehr zum thema\b", r"auch interessant\b", r"siehe auch\b",
    r"(?:à|a) lire (?:aussi|également)\b", r"lire aussi\b", r"voir aussi\b",
    r"le(?:a|e) también\b", r"ve(?:a|r) también\b", r"mir(?:á|a) también\b",
    r"leggi anche\b", r"vedi anche\b", r"leia (?:também|mais)\b",
    r"veja também\b", r"lees (?:ook|meer)\b",
    r"czytaj (?:też|także|również|więcej)\b", r"zobacz (?:też|także|również)\b",
    r"čtěte (?:také|též)\b", r"přečtěte si (?:také|též)\b",
    r"читайте (?:також|также|тоже)\b", r"дивіться також\b", r"смотрите также\b",
)

#: Cookie banners (strong words): they also mention sharing, partners,
#: privacy and "read more", so they are checked first.
COOKIE_PATTERNS: tuple[str, ...] = (
    r"cookie", r"consent", r"\bgdpr\b", r"\bdsgvo\b", r"\brgpd\b", r"\brodo\b",
    r"\blgpd\b", r"einwilligung", r"tracking", r"do not sell",
    r"nicht verkaufen", r"accept all", r"alle akzeptieren",
)

#: Privacy (weak words): checked last, so "Impressum | Datenschutz" is
#: copyright and "newsletter ... privacy policy" is newsletter.
PRIVACY_PATTERNS: tuple[str, ...] = (
    r"privacy", r"datenschutz", r"personal (?:data|information)",
    r"personenbezogen", r"persönlichen (?:daten|informationen)",
    r"confidentialité", r"données personnelles", r"privacidad",
    r"protección de datos", r"riservatezza", r"dati personali",
    r"privacidade", r"dados pessoais", r"privacybeleid", r"persoonsgegevens",
    r"prywatności", r"ochrona danych", r"dane osobowe", r"soukromí",
    r"osobních údajů", r"конфіденційн", r"конфиденциальн", r"персональн",
)

#: Donation appeals: they often also say "subscribe", "share", "newsletter".
DONATION_PATTERNS: tuple[str, ...] = (
    r"\bdonat", r"patreon", r"\bpatron", r"patronite",
    r"support (?:us|our|independent|the|this|quality)\b",
    r"support\b.{0,40}\bjournalism", r"paypal", r"buy me a coffee", r"ko-fi",
    r"tip jar", r"chip in", r"make a contribution",
    r"contribute (?:now|today|to)\b", r"\bspende", r"\bunterstütze(?:n)?\b",
    r"förderabo", r"fördermitglied", r"förder(?:er|in) werden", r"steadyhq",
    r"faites un don", r"faire un don", r"soutenez", r"soutenir", r"\bdonar\b",
    r"\bdonación", r"apóyanos", r"\bapoya\b", r"colabora con", r"\bdona ora\b",
    r"\bdonazion", r"sostienici", r"\bsostieni\b", r"\bdoe (?:agora|já)\b",
    r"\bdoação",
    r"\bapoie\b", r"doneer", r"steun ons", r"wesprzyj", r"wspieraj",
    r"darowizn", r"zrzutk", r"podpořte", r"přispějte", r"\bpodpora\b",
    r"підтрима(?:йте|ти)", r"пожертв", r"донат", r"поддерж(?:ите|ать)",
)

#: Comment sections and forms (they mention e-mail, newsletters, privacy).
COMMENT_PATTERNS: tuple[str, ...] = (
    r"comment", r"komm?ent", r"leave a reply", r"\brepl(?:y|ies)\b",
    r"responses? to\b", r"pingback", r"trackback", r"akismet", r"disqus",
    r"email address will not be published", r"required fields are marked",
    r"e-mail-adresse wird nicht veröffentlicht", r"erforderliche felder",
    r"letters? to the editor", r"leserbrief", r"diskut", r"diskus[sz]",
    r"ihre meinung", r"commentaire", r"réagi(?:r|ssez)", r"comentar",
    r"comentário", r"commento", r"commenti", r"\breacties?\b", r"reageer",
    r"skomentuj", r"коментар", r"комментар", r"تعليق",
)

#: Newsletter, subscription, paywall and login prompts.
NEWSLETTER_PATTERNS: tuple[str, ...] = (
    r"newsletter", r"subscri", r"sign[ -]?up", r"\binbox\b", r"mailing list",
    r"e-?mail alerts", r"notifications?\b", r"paywall", r"unlimited access",
    r"free trial", r"\blog ?in\b", r"\bsign in\b", r"\bregister\b", r"abonn",
    r"\babos?\b", r"-abo\b", r"probeabo", r"testabo", r"anmelden",
    r"angemeldet", r"einlogg", r"eingeloggt", r"registrieren",
    r"nichts (?:mehr )?verpassen", r"never miss", r"inscri(?:vez|ption|bete)",
    r"lettre d'information", r"lire la suite", r"en illimité",
    r"suscr(?:í|i)b", r"suscripci", r"bolet(?:í|i)n", r"reg(?:í|i)strate",
    r"hazte miembro", r"iscriviti", r"abbona", r"\bassine\b", r"inscreva",
    r"assinatura", r"nieuwsbrief", r"aanmelden", r"inschrijven",
    r"zapisz się", r"subskry", r"prenumerat", r"odebírat", r"odběr",
    r"předplat", r"розсилк", r"рассылк", r"підпи(?:с|ш)", r"подпи(?:с|ш)",
)

#: Share buttons and social-media prompts.
SHARE_PATTERNS: tuple[str, ...] = (
    r"\bshar(?:e|ed|es|ing)\b", r"\bteilen\b", r"\bteile\b", r"follow us",
    r"folg(?:en sie|e|t) uns", r"facebook", r"twitter", r"\btwittern\b",
    r"\btweet", r"instagram", r"whatsapp", r"linkedin", r"pinterest",
    r"telegram", r"youtube", r"\bxing\b", r"reddit", r"tiktok", r"mastodon",
    r"\bbluesky\b", r"social media", r"soziale(?:n)? (?:netzwerk|medien)",
    r"partag", r"suivez-nous", r"compart(?:ir|e|a|ilhe|ilhar)\b", r"síguenos",
    r"condividi", r"seguici", r"partilh", r"siga-nos", r"\bdelen\b",
    r"volg ons", r"udostępnij", r"podziel się", r"obserwuj nas", r"sdílet",
    r"sledujte nás", r"поділит", r"поделит", r"соцмереж", r"соцсет",
)

#: "Read also" blocks, related / popular / next-article links.
RELATED_PATTERNS: tuple[str, ...] = (
    r"read (?:also|more|next)\b", r"also read\b", r"see also\b",
    r"\brelated\b", r"puede(?:n)? interesar", r"lies auch\b", r"auch lesen\b",
    r"auch interessant",
    r"siehe auch\b", r"lire aussi\b", r"voir aussi\b", r"le(?:a|e) también\b",
    r"ve(?:a|r) también\b", r"mir(?:á|a) también\b", r"leggi anche\b",
    r"vedi anche\b", r"leia (?:também|mais)\b", r"veja também\b",
    r"lees (?:ook|meer)\b", r"czytaj (?:też|także|również|więcej)\b",
    r"zobacz (?:też|także|również)\b", r"čtěte (?:také|též)\b",
    r"přečtěte si\b", r"дивіться також\b", r"смотрите также\b",
    r"more on this", r"more (?:stories|news|from|articles)\b",
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested)",
    r"recommended", r"most (?:read|popular|viewed)",
    r"popular (?:posts|videos|stories)", r"trending", r"further reading",
    r"previous (?:post|article|story)", r"next (?:post|article|story)",
    r"older posts?\b", r"newer posts?\b",
    r"lesen sie (?:auch|mehr)", r"mehr (?:zu[mr]?|von)\b", r"mehr themen",
    r"weitere (?:\w+ )?(?:artikel|beiträge|themen|news|nachrichten|meldungen)",
    r"ähnliche (?:artikel|beiträge|nachrichten|themen|news)",
    r"verwandte (?:artikel|beiträge|themen|links|nachrichten)",
    r"auch interessieren", r"meistgelesen", r"am meisten gelesen",
    r"viel gelesen", r"schon gelesen", r"beliebte", r"empfohlene",
    r"top[ -]themen", r"weiterlesen",
    r"vorherige[nr]? (?:artikel|beitrag)", r"nächste[nr]? (?:artikel|beitrag)",
    r"à lire", r"\ba lire\b", r"à découvrir", r"\ba découvrir",
    r"sur le même sujet", r"les plus lus",
    r"articles similaires", r"en savoir plus", r"otras noticias",
    r"relacionad", r"más leíd", r"más sobre", r"potrebbe interessarti",
    r"correlat", r"più lett", r"mais lid", r"gerelateerd", r"meer over",
    r"meest gelezen", r"podobne", r"najczęściej czytane", r"powiązane",
    r"dowiedz się więcej", r"související", r"nejčtenější",
    r"mohlo by vás zajímat", r"читайте", r"по темі", r"схожі", r"популярн",
    r"по теме", r"похожие",
)

#: Copyright, imprint, legal and picture credits.
COPYRIGHT_PATTERNS: tuple[str, ...] = (
    r"©", r"\(c\)\s*\d{4}", r"copyright", r"all rights reserved",
    r"alle rechte", r"impressum", r"\bimprint\b", r"legal notice", r"reprint",
    r"terms (?:of|and) (?:use|service|conditions)", r"nutzungsbedingungen",
    r"\bagb\b", r"\bdmca\b", r"disclaimer", r"haftungsausschluss",
    r"ohne gewähr", r"\bcredits?\b", r"crédits?\b", r"getty images",
    r"\bfoto\s*:", r"\bphoto\s*:", r"\bbild\s*:", r"mentions légales",
    r"tous droits réservés",
    r"derechos reservados", r"aviso legal", r"diritti riservati",
    r"note legali", r"direitos reservados", r"rechten voorbehouden",
    r"colofon", r"prawa zastrzeżone", r"chroniony prawem", r"práva vyhrazena",
    r"права захищені", r"права защищены",
)

#: Order of checks in ``categorize`` (first match wins; "cookie" twice).
#: The first check is anchored at the start of the piece.
CHECK_ORDER: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("related", RELATED_PREFIX_PATTERNS),
    ("cookie", COOKIE_PATTERNS),
    ("donation", DONATION_PATTERNS),
    ("comments", COMMENT_PATTERNS),
    ("newsletter", NEWSLETTER_PATTERNS),
    ("share", SHARE_PATTERNS),
    ("related", RELATED_PATTERNS),
    ("copyright", COPYRIGHT_PATTERNS),
    ("cookie", PRIVACY_PATTERNS),
)


def _compile(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    # Patterns are matched against lower-cased text. Branches led by \b go in
    # their own regex so the others keep sre's first-character fast path.
    bounded = [p[2:] for p in patterns if p.startswith(r"\b")]
    free = [p for p in patterns if not p.startswith(r"\b")]
    out = [re.compile(r"\b(?:" + "|".join(bounded) + ")")] if bounded else []
    if free:
        out.append(re.compile("|".join(free)))
    return tuple(out)


_PREFIX_RE = re.compile(r"^\W*(?:" + "|".join(RELATED_PREFIX_PATTERNS) + ")")
_CHECKS: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...] = (
    ("related", (_PREFIX_RE,)),
) + tuple((name, _compile(pats)) for name, pats in CHECK_ORDER[1:])


@lru_cache(maxsize=65536)
def categorize(piece: str) -> str:
    """Sort a piece of boilerplate into one of ``CATEGORIES``.

    Case-insensitive (text is lower-cased); first match in ``CHECK_ORDER``
    wins: a piece *starting* with a read-also marker -> related; cookie-banner
    words; donation; comments; newsletter/subscription/paywall/login;
    share/social; related anywhere; copyright/imprint/credits; privacy words
    (-> cookie); else other.
    """
    text = collapse_ws(piece).strip().lower()
    for name, regexes in _CHECKS:
        for rx in regexes:
            if rx.search(text):
                return name
    return "other"


# --------------------------------------------------------------------------- #
# boilerplate pieces
# --------------------------------------------------------------------------- #
def boilerplate_pieces(record: dict[str, Any]) -> list[str]:
    """Pieces of boilerplate of a corpus record.

    Snippet gold: the ``without`` snippets. Full gold: the distinct stripped
    lines of ``text_page`` that contain a token and whose whitespace-collapsed
    form is not a substring of the whitespace-collapsed gold.
    """
    if record.get("gold_type") == "snippets":
        return list(record.get("without") or [])
    gold = collapse_ws(record.get("gold") or "")
    seen: set[str] = set()
    pieces: list[str] = []
    for line in (record.get("text_page") or "").splitlines():
        line = line.strip()
        if not line or line in seen or not _TOKEN_RE.search(line):
            continue
        seen.add(line)
        if collapse_ws(line) not in gold:
            pieces.append(line)
    return pieces


def piece_survives(piece: str, output: str | None) -> bool:
    """True when the whitespace-collapsed piece is a substring of the output."""
    return collapse_ws(piece) in _collapse_output(output or "")


# --------------------------------------------------------------------------- #
# accumulator
# --------------------------------------------------------------------------- #
def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


class Scorer:
    """Accumulate scores document by document; mergeable and picklable.

    ``add(record, None)`` records a failure: scored as an empty output.
    """

    def __init__(self) -> None:
        self.n = 0
        self.failures = 0
        self.empty = 0  # non-failed outputs without any token
        # full gold
        self.n_full = 0
        self.sum_precision = 0.0
        self.n_precision = 0
        self.sum_recall = 0.0
        self.n_recall = 0
        # snippet gold
        self.n_snippets = 0
        self.tp = self.fn = self.fp = self.tn = 0
        # category -> [pieces, survived]
        self.leaks: dict[str, list[int]] = {c: [0, 0] for c in CATEGORIES}
        self.per_doc: list[dict[str, Any]] = []

    def add(self, record: dict[str, Any], output: str | None) -> None:
        """Score one document; ``output=None`` means the cleaner failed."""
        self.n += 1
        failed = output is None
        text = "" if failed else output
        if failed:
            self.failures += 1
        elif not _TOKEN_RE.search(text):
            self.empty += 1
        entry: dict[str, Any] = {"id": record.get("id")}
        if failed:
            entry["failed"] = True
        if record.get("gold_type") == "snippets":
            s = snippet_score(text, record.get("with") or [],
                              record.get("without") or [])
            self.n_snippets += 1
            self.tp += s.tp
            self.fn += s.fn
            self.fp += s.fp
            self.tn += s.tn
            entry.update(tp=s.tp, fn=s.fn, fp=s.fp, tn=s.tn)
        else:
            d = shingle_score(text, record.get("gold") or "")
            self.n_full += 1
            if not d.output_empty:
                self.sum_precision += d.precision
                self.n_precision += 1
            if not d.gold_empty:
                self.sum_recall += d.recall
                self.n_recall += 1
            entry["f1"] = d.f1
        leaked = 0
        out_norm = _collapse_output(text)
        for piece in boilerplate_pieces(record):
            cell = self.leaks[categorize(piece)]
            cell[0] += 1
            if collapse_ws(piece) in out_norm:
                cell[1] += 1
                leaked += 1
        entry["leaked"] = leaked
        self.per_doc.append(entry)

    def merge(self, other: "Scorer") -> "Scorer":
        """Add ``other``'s counts to this scorer (in place); returns self."""
        for attr in ("n", "failures", "empty", "n_full", "sum_precision",
                     "n_precision", "sum_recall", "n_recall", "n_snippets",
                     "tp", "fn", "fp", "tn"):
            setattr(self, attr, getattr(self, attr) + getattr(other, attr))
        for cat, (pieces, survived) in other.leaks.items():
            cell = self.leaks.setdefault(cat, [0, 0])
            cell[0] += pieces
            cell[1] += survived
        self.per_doc.extend(dict(e) for e in other.per_doc)
        return self

    def summary(self) -> dict[str, Any]:
        """Corpus figures (see module docstring); ratios are None when undefined.

        Keys: n, failures, empty, leak_by_category, and ``full`` and/or
        ``snippets`` sub-dicts. When only one gold type was seen, its figures
        (precision, recall, f1, and for snippets tp/fn/fp/tn, content_recall,
        leak_rate) are also copied to the top level.
        """
        out: dict[str, Any] = {"n": self.n, "failures": self.failures,
                               "empty": self.empty}
        if self.n_full:
            p = _ratio(self.sum_precision, self.n_precision)
            r = _ratio(self.sum_recall, self.n_recall)
            f1 = None
            if p is not None and r is not None:
                f1 = 2 * p * r / (p + r) if p + r else 0.0
            out["full"] = {"n": self.n_full, "precision": p, "recall": r,
                           "f1": f1, "n_precision": self.n_precision,
                           "n_recall": self.n_recall}
        if self.n_snippets:
            tp, fn, fp, tn = self.tp, self.fn, self.fp, self.tn
            out["snippets"] = {
                "n": self.n_snippets, "tp": tp, "fn": fn, "fp": fp, "tn": tn,
                "precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
                "f1": _ratio(2 * tp, 2 * tp + fp + fn),
                "content_recall": _ratio(tp, tp + fn),
                "leak_rate": _ratio(fp, fp + tn),
            }
        if bool(self.n_full) != bool(self.n_snippets):
            main = out["full"] if self.n_full else out["snippets"]
            out.update({k: v for k, v in main.items() if k != "n"})
        out["leak_by_category"] = {
            cat: {"pieces": n, "survived": k, "rate": _ratio(k, n)}
            for cat, (n, k) in self.leaks.items()
        }
        return out
