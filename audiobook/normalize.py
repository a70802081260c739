"""Speech-ready text: rewrite what eSpeak NG reads badly, and nothing else.

eSpeak NG reads raw text literally: "$3.50" is "dollar three point five zero", "3/4/2021" has
"slash" in it, a URL is spelt out letter by letter, "Henry VIII" is "Henry roman eight", and
"!!!" is read as the word "exclamation". ``normalize(text, language)`` returns the text as it
should be given to the engine. It is pure, fast (one precompiled regular expression, one pass,
per rule) and idempotent, and it only rewrites the tokens below: every word of the story stays,
and ordinary prose (dialogue, apostrophes, dashes, quotes, "I", "Mr.") comes back byte-identical.

The rules, in the order ``RULES`` runs them (numbers in words come from num2words):

1. emoji: removed, with the spaces around them kept sane. One exception: an emoji standing as
   a noun right after an English article or possessive ("she sent a 👍", "his 🎂") is kept, bare
   of skin tone and joined symbols, because eSpeak NG reads it by its own (CLDR) name and
   dropping it would leave a dangling "a".
2. stray marks: a ``*``, ``_`` or ``~`` that is not inside a word is dropped (Markdown emphasis
   is gone before us; ``snake_case`` stays). A ``~`` before a number is the symbols rule's.
3. punctuation: "!!!" -> "!", "???" -> "?", "?!?!" -> "?!", four or more dots -> "...".
4. URLs: read as host and path, "https://www.example.com/page?q=1" -> "example dot com slash
   page": no scheme, no "www", no query, fragment or port (they are noise when heard). Bare
   domains of the common top-level domains ("example.com") are read the same way.
5. e-mail addresses: "ann@example.org" -> "ann at example dot org".
6. symbols: "&" -> "and", "50%" -> "50 percent", "#3" and "No. 3" -> "number 3", "c. 1500"
   -> "circa 1500", "~5" -> "approximately 5", "2+2" -> "2 plus 2", "2*3" -> "2 times 3" (the
   numbers rule then reads the digits).
7. ranges: an en dash between numbers is "to": "pages 10–20", "$5–$10" (a range of years
   is the years rule's).
8. currency: "$3.50" -> "three dollars and fifty cents", "$1" -> "one dollar", "£20" ->
   "twenty pounds", "€5", "¥100", "$1,000,000" -> "one million dollars", "$2.5 million" ->
   "two point five million dollars", "$5k" -> "five thousand dollars".
9. dates: "3/4/2021" in the locale's order (month first for en, en-US, en-CA, en-PH; day first
   for the other English locales, e.g. en-GB) -> "March fourth, twenty twenty-one" or "the third
   of April, twenty twenty-one"; ISO "2021-03-04"; "March 4, 2021", "4 March 2021", "4th of
   March". Impossible dates (13/13/2021) are left alone.
10. times: "10:30 p.m." -> "ten thirty PM" (eSpeak NG says "PM" as letters), "9:05" -> "nine
    oh five", "12:00" -> "twelve o'clock", "7 a.m." -> "seven AM", "14:00" -> "fourteen hundred".
    The period of "a.m." is kept when it also ends the sentence.
11. decades: "the 1990s" -> "the nineteen nineties", "the '60s" -> "the sixties".
12. years: a four-digit number from 1000 to 2099 is read as a year ("in 1984" -> "in nineteen
    eighty-four", 2005 -> "two thousand five") after a cue word (in, since, from, until, by,
    before, after, around, circa, during, year, a season or a month), in a range ("1914-18",
    "from 1914 to 1918") or with an era ("1066 AD", "44 BC"). Elsewhere it is a plain number:
    "1984 people" is "one thousand nine hundred eighty-four people". (A count after a cue, "in
    1500 places", is read as "fifteen hundred", which is still correct English.)
13. ordinals: "1st", "22nd", "3rd" -> "first", "twenty-second", "third".
14. numbers: every other whole number token, with thousands separators and decimals, is read in
    words ("1,234" -> "one thousand two hundred thirty-four", "3.14" -> "three point one four"),
    so that all numbers sound the same. Left to eSpeak NG, which reads them digit by digit or
    with a sign: numbers joined to letters or to "-", "/" or ":" ("MP3", "4x4", "-3", "555-1234",
    "1.2.3", "3/4"), leading zeros ("007") and ten or more bare digits (telephone numbers, IDs).
15. abbreviations, by context: "Dr. Smith" -> "Doctor Smith" but "Baker Dr." -> "Baker Drive";
    "St. Paul" -> "Saint Paul" but "Main St." -> "Main Street" (a place after a capitalised
    word when no name follows); Ms. -> Miz, Prof., Capt., Gen., Lt., Sgt., Mt., Ave., Rd.,
    Blvd.; e.g., i.e., etc., vs., viz., cf. in words. "Mr." and "Mrs." are left: eSpeak NG reads
    them right. The abbreviation's period is kept only when it also ends the sentence.
16. roman numerals in titles: "Chapter IV" -> "Chapter four", "Part II", "Book III", "Act V",
    "World War II" -> "World War two" (after a title word, Title Case or ALL CAPS).
17. roman numerals in regnal names: "Henry VIII" -> "Henry the Eighth", "Louis XIV's" -> "Louis
    the Fourteenth's", after a known regnal name or a royal title ("King Aldric III"). Never the
    pronoun: a lone "I" counts only at the end of a clause or before "of" ("Elizabeth I of
    England", not "Henry I went"); never a word in capitals ("MIX", "DIV", "I DID IT") or in
    lower case ("Vi", "Mix"); "Malcolm X" stays.

Language: the English rules (4 to 17) run when ``language`` is English ("en", "en-US", "en_GB",
...); for any other language only the language-neutral ones (1 to 3) run, and numbers, dates
and symbols are left to the eSpeak NG voice of that language, which reads them in its own words.
(num2words speaks many languages, but decimal and thousands separators differ between them, so
its use there would not be safe.) "American" English (en, en-US, en-CA, en-PH) reads "one
hundred five", the other English locales "one hundred and five".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import unquote

from num2words import num2words

__all__ = ["LANGUAGE_NEUTRAL", "Locale", "RULES", "normalize"]

_AMERICAN_REGIONS = frozenset({"", "us", "ca", "ph"})


@dataclass(frozen=True)
class Locale:
    """How the story's language reads numbers and dates."""

    english: bool
    """The English rules apply (the language is "en" or "en-XX")."""
    day_first: bool
    """3/4/2021 is the third of April (en-GB and most English locales) or March fourth (en-US)."""
    british: bool
    """Numbers are read with "and": "one hundred and five" (not in American English)."""

    @classmethod
    @lru_cache(maxsize=64)
    def from_language(cls, language: str) -> Locale:
        """``"en"``, ``"en-GB"``, ``"en_us"``, ``"fr"`` ... -> Locale."""
        lang, _, region = language.strip().lower().replace("_", "-").partition("-")
        english = lang == "en"
        american = region.partition("-")[0] in _AMERICAN_REGIONS
        return cls(english=english, day_first=english and not american,
                   british=english and not american)


Rule = Callable[[str, Locale], str]

# ---------------------------------------------------------------------------- shared helpers

_OPENERS = "([{\"'“‘«"
_CLOSERS = ".,;:!?)]}\"'”’»…"
_CLOSING_QUOTES = "\"'”’»"
_SENTENCE_STARTERS = frozenset(
    "The A An He She It They We I You This That These Those There Then But And So Or His Her "
    "Their Our My Its When What Why How Where Whose If In On At After Before No Yes Now As "
    "Later Still Yet Meanwhile Suddenly Perhaps Maybe Once Soon".split())
_NEXT_WORD = re.compile(r"\s+([A-Z][\w'’-]*)")
_NEXT_CAPITAL = re.compile(r"\s+[\"“‘']?[A-Z]")


def _gap(text: str, start: int, end: int) -> str:
    """What replaces text[start:end] when it is removed: a space only if words would touch."""
    left = text[start - 1] if start else "\n"
    right = text[end] if end < len(text) else "\n"
    if left.isspace() or right.isspace() or left in _OPENERS or right in _CLOSERS:
        return ""
    return " "


def _ends_sentence(text: str, end: int, *, any_capital: bool = False) -> bool:
    """Whether the abbreviation's period just before ``end`` also ends the sentence.

    It does at the end of a line or before a closing quote; before a capitalised word it does
    if that word starts sentences ("The", "He"), or, with ``any_capital``, if it is any
    capitalised word (after a place or a time the next capital is a new sentence, after a title
    it is the name).
    """
    rest = text[end:end + 40]
    if not rest or rest[0] in "\r\n" or rest[0] in _CLOSING_QUOTES:
        return True
    if any_capital:
        return _NEXT_CAPITAL.match(rest) is not None
    word = _NEXT_WORD.match(rest)
    return word is not None and word.group(1) in _SENTENCE_STARTERS


def _words(number: int, locale: Locale, to: str = "cardinal") -> str:
    """num2words, without its commas, and without "and" in American English."""
    words = num2words(number, lang="en", to=to).replace(",", "")
    return words if locale.british else words.replace(" and ", " ")


_DIGIT_WORDS = tuple(num2words(digit, lang="en") for digit in range(10))


def _decimal(integer: str, fraction: str | None, locale: Locale) -> str:
    """'1,234' and '14' -> 'one thousand two hundred thirty-four point one four'."""
    words = _words(int(integer.replace(",", "")), locale)
    if fraction:
        words += " point " + " ".join(_DIGIT_WORDS[int(digit)] for digit in fraction)
    return words


def _year(year: int, locale: Locale) -> str:
    return _words(year, locale, to="year")


def _plural(words: str) -> str:
    """'nineteen ninety' -> 'nineteen nineties'."""
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_MONTH_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
                        "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
_MONTH = (r"(?:" + "|".join(_MONTHS) + "|(?:" + "|".join(_MONTH_ABBREVIATIONS) + r")\.)")


def _month_number(name: str) -> int:
    name = name.rstrip(".")
    return _MONTH_ABBREVIATIONS.get(name) or _MONTHS.index(name) + 1


# ---------------------------------------------------------------------------- 1. emoji

_PICTOGRAPHS = ("\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u231A\u231B\u23E9-\u23F3"
                "\u23F8-\u23FA")
_JOINERS = "\u200D\uFE0E\uFE0F\u20E3\U000E0020-\U000E007F"
_EMOJI_RUN = rf"[{_PICTOGRAPHS}][{_PICTOGRAPHS}{_JOINERS}]*"
_EMOJI = re.compile(rf"[ \t]?{_EMOJI_RUN}(?:[ \t]*{_EMOJI_RUN})*[ \t]?|[\uFE0F\u20E3]+")
_DETERMINER_BEFORE = re.compile(
    r"(?:^|[^\w])(?:[Aa]n?|[Tt]he|[Hh]is|[Hh]er|[Mm]y|[Yy]our|[Tt]heir|[Oo]ur|[Oo]ne)[ \t]?$")
_REGIONAL_INDICATORS = re.compile("[\U0001F1E6-\U0001F1FF]{2}")


def drop_emoji(text: str, locale: Locale) -> str:
    """Remove emoji; keep a bare one that stands as a noun after an English article."""
    def replace(match: re.Match[str]) -> str:
        found = match.group()
        symbol = found.strip(" \t")
        lead = found[:len(found) - len(found.lstrip(" \t"))]
        trail = found[len(found.rstrip(" \t")):]
        before = text[max(0, match.start() - 8):match.start()] + lead
        if (locale.english and symbol[0] not in "\uFE0F\u20E3"
                and _DETERMINER_BEFORE.search(before)):
            flag = _REGIONAL_INDICATORS.match(symbol)
            return lead + (flag.group() if flag else symbol[0]) + trail
        return _gap(text, match.start(), match.end())
    return _EMOJI.sub(replace, text)


# ---------------------------------------------------------------------------- 2. stray marks

_STRAY = re.compile(
    r"(?P<line>^[ \t]*[*_~][*_~ \t]*$)"  # a scene break ("* * *") is structure: left alone
    r"|[ \t]?(?:(?<![^\W_])[*_]+|[*_]+(?![^\W_])|~(?![ \t]?[\d$£€¥]))[ \t]?", re.MULTILINE)


def drop_stray_marks(text: str, locale: Locale) -> str:
    """A '*', '_' or '~' outside a word is not read: 'a * b' -> 'a b'."""
    def replace(match: re.Match[str]) -> str:
        return match.group() if match["line"] else _gap(text, match.start(), match.end())
    return _STRAY.sub(replace, text)


# ---------------------------------------------------------------------------- 3. punctuation

_PUNCTUATION_RUN = re.compile(r"[!?]{2,}|\.{4,}")


def collapse_punctuation(text: str, locale: Locale) -> str:
    """'!!!' -> '!', '???' -> '?', '?!?!' -> '?!', '....' -> '...'."""
    def replace(match: re.Match[str]) -> str:
        run = match.group()
        if run[0] == ".":
            return "..."
        marks = set(run)
        if len(marks) == 1:
            return run[0]
        return run[:2] if len(run) == 2 else run[0] + ("?" if run[0] == "!" else "!")
    return _PUNCTUATION_RUN.sub(replace, text)


# ---------------------------------------------------------------------------- 4. URLs

_TLDS = "com|org|net|edu|gov|io|info|biz|uk|us|ca|au|de|fr|nl|eu"
_URL = re.compile(
    r"(?<![\w.@/-])(?i:(?:https?|ftp)://|www\.)[^\s<>\"'()\[\]{}]+"
    rf"|(?<![@\w.:/-])(?:[A-Za-z0-9-]+\.)+(?:{_TLDS})\b(?![.-]\w)(?:/[^\s<>\"'()\[\]{{}}]*)?")
_URL_TAIL = re.compile(r"[.,;:!?]+$")
_URL_SCHEME = re.compile(r"^(?:https?|ftp)://|^www\.", re.IGNORECASE)
_URL_QUERY = re.compile(r"[?#].*", re.DOTALL)


def spell_urls(text: str, locale: Locale) -> str:
    """'https://www.example.com/page' -> 'example dot com slash page'."""
    def replace(match: re.Match[str]) -> str:
        url = match.group()
        tail = _URL_TAIL.search(url)
        if tail:
            url = url[:tail.start()]
        url = _URL_QUERY.sub("", _URL_SCHEME.sub("", _URL_SCHEME.sub("", url, 1), 1))
        host, _, path = url.partition("/")
        host = host.rpartition("@")[2].partition(":")[0]  # no user, no port
        parts = [" dot ".join(p for p in host.split(".") if p)]
        parts += [" dot ".join(unquote(s).split(".")) for s in path.split("/") if s]
        return " slash ".join(parts) + (tail.group() if tail else "")
    return _URL.sub(replace, text)


# ---------------------------------------------------------------------------- 5. e-mail

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[\w-]+\.)+[A-Za-z]{2,}\b")


def spell_emails(text: str, locale: Locale) -> str:
    """'ann@example.org' -> 'ann at example dot org'."""
    def replace(match: re.Match[str]) -> str:
        user, _, domain = match.group().partition("@")
        return " dot ".join(user.split(".")) + " at " + " dot ".join(domain.split("."))
    return _EMAIL.sub(replace, text)


# ---------------------------------------------------------------------------- 6. symbols

# The lookahead of first characters keeps the scan fast (an alternation is tried in full at
# every position otherwise); what must come before a symbol is checked by the replacement.
_SYMBOL = re.compile(
    r"(?=[ \t%+*×#Nc~&])"
    r"(?P<percent>%(?<=\d%)|[ \t]%(?<=\d[ \t]%))"
    r"|(?P<plus>[ \t]?\+[ \t]?(?=\d))"
    r"|(?P<times>[ \t]?[*×][ \t]?(?=\d))"
    r"|(?P<hash>#(?=\d))"
    r"|(?P<no>No\.[ \t]?(?=\d))"
    r"|(?P<circa>c\.[ \t]?(?=\d))"
    r"|(?P<tilde>~[ \t]?(?=[\d$£€¥]))"
    r"|(?P<amp>&)")
_SYMBOL_WORDS = {"percent": " percent", "hash": "number ", "no": "number ",
                 "circa": "circa ", "tilde": "approximately ", "plus": " plus ", "times": " times "}
_AFTER_DIGIT = frozenset({"plus", "times"})
_AFTER_NON_WORD = frozenset({"hash", "no", "circa"})


def spell_symbols(text: str, locale: Locale) -> str:
    """'&' -> 'and', '50%' -> '50 percent', '#3' -> 'number 3', '~5', '2+2', 'c. 1500'."""
    def replace(match: re.Match[str]) -> str:
        kind = match.lastgroup or ""
        before = text[match.start() - 1] if match.start() else " "
        if kind in _AFTER_DIGIT and not before.isdigit():
            return match.group()
        if kind in _AFTER_NON_WORD and (before.isalnum() or before == "_"):
            return match.group()
        if kind != "amp":
            return _SYMBOL_WORDS[kind]
        left = " " if match.start() and not before.isspace() else ""
        right = " " if match.end() < len(text) and not text[match.end()].isspace() else ""
        return left + "and" + right
    return _SYMBOL.sub(replace, text)


# ---------------------------------------------------------------------------- 7. ranges

_RANGE = re.compile(r"(?<=\d)[ \t]?–[ \t]?(?=[\d$£€¥])")
_YEAR_RANGE_AROUND = re.compile(r"(?<![\d.,])\d{4}$"), re.compile(r"(?:\d{4}|\d{2})(?!\d|[.,]\d)")


def spell_ranges(text: str, locale: Locale) -> str:
    """An en dash between numbers is 'to': 'pages 10–20' -> 'pages 10 to 20', '$5–$10'.

    A range of years ('1914–18') is left to the years rule.
    """
    def replace(match: re.Match[str]) -> str:
        before, after = _YEAR_RANGE_AROUND
        if (before.search(text, max(0, match.start() - 5), match.start())
                and after.match(text, match.end())):
            return match.group()
        return " to "
    return _RANGE.sub(replace, text)


# ---------------------------------------------------------------------------- 8. currency

_CURRENCIES = {"$": ("dollar", "dollars", "cent", "cents"),
               "£": ("pound", "pounds", "penny", "pence"),
               "€": ("euro", "euros", "cent", "cents"),
               "¥": ("yen", "yen", None, None)}
_DOLLAR_COUNTRIES = {"US": "US", "A": "Australian", "AU": "Australian", "C": "Canadian",
                     "CA": "Canadian", "NZ": "New Zealand", "HK": "Hong Kong", "S": "Singapore"}
_CURRENCY = re.compile(
    r"(?<![\w$£€¥])(?:(?P<country>" + "|".join(_DOLLAR_COUNTRIES) + r")(?=\$))?"
    rf"(?P<sign>[$£€¥])[ \t]?(?P<whole>{_NUMBER})(?:\.(?P<fraction>\d+))?"
    r"(?![\d,]*\d)(?:[ \t]+(?P<scale>thousand|million|billion|trillion)\b"
    r"|(?P<short>k|K|m|M|bn|B)\b)?(?!\w)")
_SHORT_SCALES = {"k": "thousand", "K": "thousand", "m": "million", "M": "million",
                 "bn": "billion", "B": "billion"}


def spell_currency(text: str, locale: Locale) -> str:
    """'$3.50' -> 'three dollars and fifty cents', '$2.5 million' -> '... million dollars'."""
    def replace(match: re.Match[str]) -> str:
        one, many, cent, cents = _CURRENCIES[match["sign"]]
        if match["country"]:
            country = _DOLLAR_COUNTRIES[match["country"]]
            one, many = f"{country} {one}", f"{country} {many}"
        whole, fraction = match["whole"], match["fraction"]
        scale = match["scale"] or _SHORT_SCALES.get(match["short"] or "")
        if scale:
            return f"{_decimal(whole, fraction, locale)} {scale} {many}"
        amount = int(whole.replace(",", ""))
        if fraction and (cent is None or len(fraction) > 2):
            return f"{_decimal(whole, fraction, locale)} {many}"
        minor = int(fraction.ljust(2, "0")) if fraction else 0
        parts = []
        if amount or not minor:
            parts.append(f"{_words(amount, locale)} {one if amount == 1 else many}")
        if minor:
            parts.append(f"{_words(minor, locale)} {cent if minor == 1 else cents}")
        return " and ".join(parts)
    return _CURRENCY.sub(replace, text)


# ---------------------------------------------------------------------------- 9. dates

_DATE = re.compile(
    r"(?=[\dJFMASOND])"
    r"(?<![\w/.,:-])(?:(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})"
    r"|(?P<iso_y>\d{4})-(?P<iso_m>\d{1,2})-(?P<iso_d>\d{1,2}))(?![\w/-]|[.,]\d)"
    rf"|\b(?P<md_m>{_MONTH})[ \t]+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?\b"
    r"(?:,?[ \t]+(?P<md_y>\d{4})\b)?(?![.,:/]\d)"
    rf"|(?<![\w/.,:-])(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?(?P<of>[ \t]+of)?[ \t]+(?P<dm_m>{_MONTH})"
    r"(?:,?[ \t]+(?P<dm_y>\d{4})\b(?![.,:/]\d))?")


_LOWER_WORD = re.compile(r"[ \t]+[a-z]")


def _date_words(day: int, month: int, year: int | None, locale: Locale, *,
                day_first: bool, article: bool = True) -> str | None:
    try:
        date(year or 2000, month, day)
    except ValueError:
        return None
    ordinal = _words(day, locale, to="ordinal")
    if day_first:
        words = f"{'the ' if article else ''}{ordinal} of {_MONTHS[month - 1]}"
    else:
        words = f"{_MONTHS[month - 1]} {ordinal}"
    return words + (f", {_year(year, locale)}" if year else "")


def spell_dates(text: str, locale: Locale) -> str:
    """'3/4/2021' -> 'March fourth, twenty twenty-one' (en-US), 'the third of April, ...'."""
    def replace(match: re.Match[str]) -> str:
        if match["a"]:
            first, second = int(match["a"]), int(match["b"])
            day, month = (first, second) if locale.day_first else (second, first)
            words = _date_words(day, month, int(match["y"]), locale,
                                day_first=locale.day_first)
        elif match["iso_y"]:
            words = _date_words(int(match["iso_d"]), int(match["iso_m"]), int(match["iso_y"]),
                                locale, day_first=locale.day_first)
        elif match["md_m"]:
            year = match["md_y"]
            if match["md_m"] == "May" and not year and _LOWER_WORD.match(text, match.end()):
                return match.group()  # "May 5 people come?"
            words = _date_words(int(match["md_d"]), _month_number(match["md_m"]),
                                int(year) if year else None, locale, day_first=False)
        else:
            year = match["dm_y"]
            words = _date_words(int(match["dm_d"]), _month_number(match["dm_m"]),
                                int(year) if year else None, locale, day_first=True,
                                article=not match["of"])
        return words or match.group()
    return _DATE.sub(replace, text)


# ---------------------------------------------------------------------------- 10. times

_TIME = re.compile(
    r"(?<![\w:.,])(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?![:\d])"
    r"(?:[ \t]?(?P<mer>[AaPp])\.?[ \t]?[Mm]\b(?P<dot>\.)?)?(?![\w:])")


def spell_times(text: str, locale: Locale) -> str:
    """'10:30 p.m.' -> 'ten thirty PM', '9:05' -> 'nine oh five', '12:00' -> "twelve o'clock"."""
    def replace(match: re.Match[str]) -> str:
        hour, minutes, meridiem = int(match["h"]), match["m"], match["mer"]
        minute = int(minutes) if minutes else 0
        if (not minutes and not meridiem) or minute > 59 or hour > (12 if meridiem else 23):
            return match.group()
        if meridiem and hour == 0:
            return match.group()
        words = [_words(hour, locale)]
        if minute:
            words.append(("oh " if minute < 10 else "") + _words(minute, locale))
        elif not meridiem:
            words.append("o'clock" if 1 <= hour <= 12 else "hundred")
        if meridiem:
            words.append(meridiem.upper() + "M")
        dot = "." if match["dot"] and _ends_sentence(text, match.end(), any_capital=True) else ""
        return " ".join(words) + dot
    return _TIME.sub(replace, text)


# ---------------------------------------------------------------------------- 11. decades

_DECADE = re.compile(r"(?<![\w.,'’])(?P<c>1\d|20)(?P<d>\d)0s\b|(?<!\w)['’](?P<short>[1-9])0s\b")


def spell_decades(text: str, locale: Locale) -> str:
    """'the 1990s' -> 'the nineteen nineties', "the '60s" -> 'the sixties'."""
    def replace(match: re.Match[str]) -> str:
        if match["short"]:
            return _plural(_words(int(match["short"]) * 10, locale))
        return _plural(_year(int(match["c"]) * 100 + int(match["d"]) * 10, locale))
    return _DECADE.sub(replace, text)


# ---------------------------------------------------------------------------- 12. years

_YEAR_CUES = ("in|since|from|until|till|by|before|after|around|circa|during|between|year|"
              "spring|summer|autumn|fall|winter|" + "|".join(_MONTHS))
_CUE_BEFORE = re.compile(
    rf"(?:^|[^\w])(?i:{_YEAR_CUES})(?:[ \t]+of)?,?[ \t]+(?:AD[ \t]?|A\.D\.[ \t]?)?$")
_ERA_BEFORE = re.compile(r"(?:^|[^\w])(?:AD|A\.D\.)[ \t]?$")
_YEAR = re.compile(
    r"(?<![\w.,:/-])(?P<year>\d{1,4})"
    r"(?:(?P<sep>[ \t]?[–-][ \t]?|[ \t]+(?:to|and|or|until|till)[ \t]+)"
    r"(?P<end>\d{4}|\d{2})(?![\w/:-]|[.,]\d))?"
    r"(?:[ \t]?(?P<era>BCE|BC|CE|AD|B\.C\.|A\.D\.)(?!\w))?"
    r"(?![\w/:-]|[.,]\d)")


def spell_years(text: str, locale: Locale) -> str:
    """'in 1984' -> 'in nineteen eighty-four', '1914-18', '1066 AD', '44 BC'."""
    def replace(match: re.Match[str]) -> str:
        year, end, sep = int(match["year"]), match["end"], match["sep"]
        window = max(0, match.start() - 20), match.start()
        cue = _CUE_BEFORE.search(text, *window) is not None
        era = match["era"] or _ERA_BEFORE.search(text, *window)
        four_digits = len(match["year"]) == 4 and 1000 <= year <= 2099
        if end:
            last = int(end) if len(end) == 4 else year // 100 * 100 + int(end)
            if len(end) == 2 and last <= year:  # 1999-03
                last += 100
            dash = sep.strip() in "–-"
            if not (four_digits and last > year and (dash or len(end) == 4) and last <= 2099):
                return match.group()
            if not cue and not dash:
                return match.group()
            tail = f"{' to ' if dash else sep}{_year(last, locale)}"
        elif cue and four_digits or era:
            tail = ""
        else:
            return match.group()
        after = match.end("end") if end else match.end("year")
        return _year(year, locale) + tail + text[after:match.end()]
    return _YEAR.sub(replace, text)


# ---------------------------------------------------------------------------- 13. ordinals

_ORDINAL = re.compile(rf"(?<![\w.,/:-])(?P<n>{_NUMBER})(?i:st|nd|rd|th)\b")


def spell_ordinals(text: str, locale: Locale) -> str:
    """'1st', '22nd', '3rd' -> 'first', 'twenty-second', 'third'."""
    return _ORDINAL.sub(
        lambda m: _words(int(m["n"].replace(",", "")), locale, to="ordinal"), text)


# ---------------------------------------------------------------------------- 14. numbers

_PLAIN_NUMBER = re.compile(
    rf"(?<![\w.,:/\\-])(?P<whole>{_NUMBER})(?:\.(?P<fraction>\d+))?(?![\w/:-]|[.,]\d)")


def spell_numbers(text: str, locale: Locale) -> str:
    """'1,234' -> 'one thousand two hundred thirty-four', '3.14' -> 'three point one four'."""
    def replace(match: re.Match[str]) -> str:
        whole = match["whole"]
        if (len(whole) > 1 and whole[0] == "0") or len(whole) >= 10 and "," not in whole:
            return match.group()
        try:
            return _decimal(whole, match["fraction"], locale)
        except (OverflowError, ValueError, NotImplementedError):
            return match.group()
    return _PLAIN_NUMBER.sub(replace, text)


# ---------------------------------------------------------------------------- 15. abbreviations

_PEOPLE = {"Dr": "Doctor", "St": "Saint", "Ms": "Miz", "Prof": "Professor", "Capt": "Captain",
           "Gen": "General", "Lt": "Lieutenant", "Sgt": "Sergeant", "Mt": "Mount"}
_PLACES = {"Dr": "Drive", "St": "Street", "Ave": "Avenue", "Rd": "Road", "Blvd": "Boulevard"}
_NEED_A_PERIOD = frozenset({"Gen", "Ave", "Rd", "Blvd"})  # "Gen Z", "Ave Maria"
_LATIN = {"e.g.": "for example", "i.e.": "that is", "etc.": "et cetera", "vs.": "versus",
          "vs": "versus", "viz.": "namely", "cf.": "compare"}
_ABBREVIATION = re.compile(
    r"(?=[DSMPCGLARBeivc])"
    r"(?<![\w.])(?P<abbr>Dr|St|Ms|Prof|Capt|Gen|Lt|Sgt|Mt|Ave|Rd|Blvd)(?P<dot>\.)?(?![\w'’.])"
    r"|(?<![\w.])(?P<latin>e\.g\.|i\.e\.|etc\.|vs\.?|viz\.|cf\.)(?!\w)")
_WORD_BEFORE = re.compile(r"(?:^|[\s\"“‘(])([A-Z][a-z]+)[ \t]+$")


def _is_place(text: str, match: re.Match[str]) -> bool:
    """'Baker Dr.', 'Main St.': after a capitalised word, and no name after it."""
    abbr = match["abbr"]
    if abbr not in ("Dr", "St"):
        return abbr in _PLACES
    word = _NEXT_WORD.match(text, match.end())
    if word is not None and word.group(1).strip("'’") not in _SENTENCE_STARTERS:
        return False
    before = _WORD_BEFORE.search(text, max(0, match.start() - 30), match.start())
    return before is not None and before.group(1) not in _SENTENCE_STARTERS


def spell_abbreviations(text: str, locale: Locale) -> str:
    """'Dr. Smith' -> 'Doctor Smith', 'Baker Dr.' -> 'Baker Drive', 'e.g.' -> 'for example'."""
    def replace(match: re.Match[str]) -> str:
        latin = match["latin"]
        if latin:
            ends = latin == "etc." and _ends_sentence(text, match.end(), any_capital=True)
            return _LATIN[latin] + ("." if ends else "")
        abbr = match["abbr"]
        if not match["dot"] and abbr in _NEED_A_PERIOD:
            return match.group()
        place = _is_place(text, match)
        words = _PLACES[abbr] if place else _PEOPLE[abbr]
        ends = match["dot"] and _ends_sentence(text, match.end(), any_capital=place)
        return words + ("." if ends else "")
    return _ABBREVIATION.sub(replace, text)


# ---------------------------------------------------------------------------- 16-17. roman

_ROMAN = r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
_TITLE_WORDS = ("Chapter", "Part", "Book", "Volume", "Vol.", "Act", "Scene", "Canto", "Episode",
                "Section", "Article", "Appendix", "Phase", "Stage", "Season", "Series", "Level",
                "Round", "Class", "Type", "Psalm", "Title", "Year", "World War", "Super Bowl")
_TITLE_ALTERNATIVES = "|".join(re.escape(form) for word in _TITLE_WORDS
                               for form in (word, word.upper()))
_TITLE_NUMERAL = re.compile(
    rf"(?<![\w.])(?P<title>{_TITLE_ALTERNATIVES})[ \t]+(?P<numeral>{_ROMAN})(?![\w'’-])")
_WORD_AFTER = re.compile(r"[ \t]+([A-Za-z]+)")


def _roman_value(numeral: str) -> int:
    total = 0
    for letter, following in zip(numeral, numeral[1:] + " "):
        value = _ROMAN_VALUES[letter]
        total += -value if following != " " and _ROMAN_VALUES[following] > value else value
    return total


def _shouted_or_pronoun(text: str, end: int, numeral: str, *, allow_of: bool) -> bool:
    """Whether the word after a numeral shows it is not one: 'I went', 'I DID IT'."""
    after = _WORD_AFTER.match(text, end)
    if after is None:
        return False
    word = after.group(1)
    if len(word) > 1 and word.isupper():
        return True
    if numeral != "I":
        return False
    if allow_of:
        return word != "of"
    return not word[0].isupper()


def spell_roman_titles(text: str, locale: Locale) -> str:
    """'Chapter IV' -> 'Chapter four', 'World War II' -> 'World War two'."""
    def replace(match: re.Match[str]) -> str:
        numeral = match["numeral"]
        if numeral in ("C", "D", "L", "M"):  # "Appendix C", "Part D": letters, not numbers
            return match.group()
        heading = match["title"].isupper() and numeral != "I"  # "CHAPTER IV THE STORM"
        if not heading and _shouted_or_pronoun(text, match.end(), numeral, allow_of=False):
            return match.group()
        title = "Volume" if match["title"] in ("Vol.", "VOL.") else match["title"]
        return f"{title} {_words(_roman_value(numeral), locale)}"
    return _TITLE_NUMERAL.sub(replace, text)


_REGNAL_NAMES = frozenset(
    "Henry Edward George William Richard Elizabeth Mary James Charles Louis Philip John Paul "
    "Benedict Pius Leo Gregory Innocent Clement Alexander Peter Catherine Frederick Nicholas "
    "Ivan Ferdinand Isabella Victor Emmanuel Napoleon Constantine Otto Rudolf Wilhelm Ludwig "
    "Gustav Gustavus Christian Olaf Harald Haakon Carl Juan Carlos Alfonso Felipe Pedro Manuel "
    "Sancho Ramesses Ramses Amenhotep Thutmose Ptolemy Cleopatra Antiochus Seleucus Mehmed "
    "Suleiman Selim Murad Leopold Albert Baudouin Umberto Vittorio David Robert Malcolm Anne "
    "Victoria Stephen Harold Edmund Canute Henri Francis Sixtus Urban Boniface Julius Adrian "
    "Hadrian Celestine Martin Eugene Felix Sergius Joseph Maximilian Matthias Sigismund Casimir "
    "Stanislaus Wenceslaus Rama Kamehameha Darius Xerxes Artaxerxes Cyrus Tiglath Sennacherib "
    "Nebuchadnezzar Justinian Theodosius Basil Michael Andronikos Alexios Manuel Friedrich "
    "Joanna Margaret Christina Ulrika Sophia Augustus Ptolemaios Cosimo Lorenzo Innocenzo "
    "Pedro Afonso Sebastian Boris Simeon Vasily Fyodor Dmitry Mikhail Akhenaten Seti".split())
_ROYAL_TITLE_BEFORE = re.compile(
    r"\b(?:King|Queen|Pope|Emperor|Empress|Tsar|Czar|Tsarina|Tsaritsa|Kaiser|Sultan|Shah|"
    r"Pharaoh|Prince|Princess|Duke|Duchess|Archduke|Grand Duke|Baron|Count|Earl|Lord|Lady|"
    r"Khan|Emir|Caliph)[ \t]+$")
_REGNAL = re.compile(
    r"\b(?P<name>[A-Z][a-z]+)[ \t]+(?P<numeral>(?=[XVI])X{0,3}(?:IX|IV|V?I{0,3}))"
    r"(?P<possessive>['’]s)?(?![\w'’-])")
_NOT_REGNAL = frozenset({("Malcolm", "X")})


def spell_regnal_numbers(text: str, locale: Locale) -> str:
    """'Henry VIII' -> 'Henry the Eighth'; 'Henry I went' and 'I DID IT' stay."""
    def replace(match: re.Match[str]) -> str:
        name, numeral = match["name"], match["numeral"]
        royal = _ROYAL_TITLE_BEFORE.search(text, max(0, match.start() - 20), match.start())
        if (name not in _REGNAL_NAMES and royal is None) or (name, numeral) in _NOT_REGNAL:
            return match.group()
        if _shouted_or_pronoun(text, match.end(), numeral, allow_of=True):
            return match.group()
        ordinal = _words(_roman_value(numeral), locale, to="ordinal").title()
        return f"{name} the {ordinal}{match['possessive'] or ''}"
    return _REGNAL.sub(replace, text)


# ---------------------------------------------------------------------------- the rules

RULES: tuple[Rule, ...] = (
    drop_emoji,
    drop_stray_marks,
    collapse_punctuation,
    spell_urls,
    spell_emails,
    spell_symbols,
    spell_ranges,
    spell_currency,
    spell_dates,
    spell_times,
    spell_decades,
    spell_years,
    spell_ordinals,
    spell_numbers,
    spell_abbreviations,
    spell_roman_titles,
    spell_regnal_numbers,
)
"""Every rule, in the order they run; each is ``rule(text, locale) -> text``."""

LANGUAGE_NEUTRAL: frozenset[Rule] = frozenset({drop_emoji, drop_stray_marks,
                                               collapse_punctuation})
"""The rules that also run for a language other than English."""


def normalize(text: str, language: str = "en") -> str:
    """The text as eSpeak NG should be given it, for a story in ``language`` ("en-GB", "fr")."""
    locale = Locale.from_language(language)
    for rule in RULES:
        if locale.english or rule in LANGUAGE_NEUTRAL:
            text = rule(text, locale)
    return text
