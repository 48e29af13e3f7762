"""Language codes as a user gives them: ISO 639-1 (``de``) or 639-2/3 (``deu``, ``ger``), any case.

Every language setting (``--tgt-lang``, ``--src-lang``, the app's language fields) goes
through :func:`language_code`: a code is returned as ISO 639-1 where the language has one
(``DE``, ``deu`` and ``ger`` are all ``de``: the word lists and the German rules are keyed
so), else as given in lower case (``yor`` has ``yo``; ``xyz`` stays ``xyz``). A code need
not be known: a low-resource language is a legitimate target; :func:`language_note` says
in one line what the rules then do. A word that is not a code at all (``german``) is an
error that suggests the code.

>>> language_code("DEU"), language_code("de-AT"), language_code("xx"), language_code(None)
('de', 'de', 'xx', None)
"""

from __future__ import annotations

import re

from xner.errors import ConfigError

# ISO 639-1 code → (English name, its ISO 639-2/T code[, its 639-2/B code]); a 639-3 code
# of an individual language equals its 639-2/T code. From Debian's iso-codes (iso_639-2.json).
ISO_639: dict[str, tuple[str, ...]] = {
    "aa": ("Afar", "aar"), "ab": ("Abkhazian", "abk"), "af": ("Afrikaans", "afr"), "ak": ("Akan", "aka"),
    "am": ("Amharic", "amh"), "ar": ("Arabic", "ara"), "an": ("Aragonese", "arg"), "as": ("Assamese", "asm"),
    "av": ("Avaric", "ava"), "ae": ("Avestan", "ave"), "ay": ("Aymara", "aym"), "az": ("Azerbaijani", "aze"),
    "ba": ("Bashkir", "bak"), "bm": ("Bambara", "bam"), "be": ("Belarusian", "bel"), "bn": ("Bengali", "ben"),
    "bh": ("Bihari languages", "bih"), "bi": ("Bislama", "bis"), "bo": ("Tibetan", "bod", "tib"),
    "bs": ("Bosnian", "bos"), "br": ("Breton", "bre"), "bg": ("Bulgarian", "bul"), "ca": ("Catalan", "cat"),
    "cs": ("Czech", "ces", "cze"), "ch": ("Chamorro", "cha"), "ce": ("Chechen", "che"),
    "cu": ("Church Slavic", "chu"), "cv": ("Chuvash", "chv"), "kw": ("Cornish", "cor"), "co": ("Corsican", "cos"),
    "cr": ("Cree", "cre"), "cy": ("Welsh", "cym", "wel"), "da": ("Danish", "dan"), "de": ("German", "deu", "ger"),
    "dv": ("Divehi", "div"), "dz": ("Dzongkha", "dzo"), "el": ("Greek", "ell", "gre"), "en": ("English", "eng"),
    "eo": ("Esperanto", "epo"), "et": ("Estonian", "est"), "eu": ("Basque", "eus", "baq"), "ee": ("Ewe", "ewe"),
    "fo": ("Faroese", "fao"), "fa": ("Persian", "fas", "per"), "fj": ("Fijian", "fij"), "fi": ("Finnish", "fin"),
    "fr": ("French", "fra", "fre"), "fy": ("Western Frisian", "fry"), "ff": ("Fulah", "ful"), "gd": ("Gaelic", "gla"),
    "ga": ("Irish", "gle"), "gl": ("Galician", "glg"), "gv": ("Manx", "glv"), "gn": ("Guarani", "grn"),
    "gu": ("Gujarati", "guj"), "ht": ("Haitian", "hat"), "ha": ("Hausa", "hau"), "he": ("Hebrew", "heb"),
    "hz": ("Herero", "her"), "hi": ("Hindi", "hin"), "ho": ("Hiri Motu", "hmo"), "hr": ("Croatian", "hrv"),
    "hu": ("Hungarian", "hun"), "hy": ("Armenian", "hye", "arm"), "ig": ("Igbo", "ibo"), "io": ("Ido", "ido"),
    "ii": ("Sichuan Yi", "iii"), "iu": ("Inuktitut", "iku"), "ie": ("Interlingue", "ile"),
    "ia": ("Interlingua", "ina"), "id": ("Indonesian", "ind"), "ik": ("Inupiaq", "ipk"),
    "is": ("Icelandic", "isl", "ice"), "it": ("Italian", "ita"), "jv": ("Javanese", "jav"), "ja": ("Japanese", "jpn"),
    "kl": ("Kalaallisut", "kal"), "kn": ("Kannada", "kan"), "ks": ("Kashmiri", "kas"),
    "ka": ("Georgian", "kat", "geo"), "kr": ("Kanuri", "kau"), "kk": ("Kazakh", "kaz"),
    "km": ("Central Khmer", "khm"), "ki": ("Kikuyu", "kik"), "rw": ("Kinyarwanda", "kin"), "ky": ("Kirghiz", "kir"),
    "kv": ("Komi", "kom"), "kg": ("Kongo", "kon"), "ko": ("Korean", "kor"), "kj": ("Kuanyama", "kua"),
    "ku": ("Kurdish", "kur"), "lo": ("Lao", "lao"), "la": ("Latin", "lat"), "lv": ("Latvian", "lav"),
    "li": ("Limburgan", "lim"), "ln": ("Lingala", "lin"), "lt": ("Lithuanian", "lit"), "lb": ("Luxembourgish", "ltz"),
    "lu": ("Luba-Katanga", "lub"), "lg": ("Ganda", "lug"), "mh": ("Marshallese", "mah"), "ml": ("Malayalam", "mal"),
    "mr": ("Marathi", "mar"), "mk": ("Macedonian", "mkd", "mac"), "mg": ("Malagasy", "mlg"), "mt": ("Maltese", "mlt"),
    "mn": ("Mongolian", "mon"), "mi": ("Maori", "mri", "mao"), "ms": ("Malay", "msa", "may"),
    "my": ("Burmese", "mya", "bur"), "na": ("Nauru", "nau"), "nv": ("Navajo", "nav"), "nr": ("Ndebele", "nbl"),
    "nd": ("Ndebele", "nde"), "ng": ("Ndonga", "ndo"), "ne": ("Nepali", "nep"), "nl": ("Dutch", "nld", "dut"),
    "nn": ("Norwegian Nynorsk", "nno"), "nb": ("Bokmål", "nob"), "no": ("Norwegian", "nor"),
    "ny": ("Chichewa", "nya"), "oc": ("Occitan", "oci"), "oj": ("Ojibwa", "oji"), "or": ("Oriya", "ori"),
    "om": ("Oromo", "orm"), "os": ("Ossetian", "oss"), "pa": ("Panjabi", "pan"), "pi": ("Pali", "pli"),
    "pl": ("Polish", "pol"), "pt": ("Portuguese", "por"), "ps": ("Pushto", "pus"), "qu": ("Quechua", "que"),
    "rm": ("Romansh", "roh"), "ro": ("Romanian", "ron", "rum"), "rn": ("Rundi", "run"), "ru": ("Russian", "rus"),
    "sg": ("Sango", "sag"), "sa": ("Sanskrit", "san"), "si": ("Sinhala", "sin"), "sk": ("Slovak", "slk", "slo"),
    "sl": ("Slovenian", "slv"), "se": ("Northern Sami", "sme"), "sm": ("Samoan", "smo"), "sn": ("Shona", "sna"),
    "sd": ("Sindhi", "snd"), "so": ("Somali", "som"), "st": ("Sotho", "sot"), "es": ("Spanish", "spa"),
    "sq": ("Albanian", "sqi", "alb"), "sc": ("Sardinian", "srd"), "sr": ("Serbian", "srp"), "ss": ("Swati", "ssw"),
    "su": ("Sundanese", "sun"), "sw": ("Swahili", "swa"), "sv": ("Swedish", "swe"), "ty": ("Tahitian", "tah"),
    "ta": ("Tamil", "tam"), "tt": ("Tatar", "tat"), "te": ("Telugu", "tel"), "tg": ("Tajik", "tgk"),
    "tl": ("Tagalog", "tgl"), "th": ("Thai", "tha"), "ti": ("Tigrinya", "tir"), "to": ("Tonga", "ton"),
    "tn": ("Tswana", "tsn"), "ts": ("Tsonga", "tso"), "tk": ("Turkmen", "tuk"), "tr": ("Turkish", "tur"),
    "tw": ("Twi", "twi"), "ug": ("Uighur", "uig"), "uk": ("Ukrainian", "ukr"), "ur": ("Urdu", "urd"),
    "uz": ("Uzbek", "uzb"), "ve": ("Venda", "ven"), "vi": ("Vietnamese", "vie"), "vo": ("Volapük", "vol"),
    "wa": ("Walloon", "wln"), "wo": ("Wolof", "wol"), "xh": ("Xhosa", "xho"), "yi": ("Yiddish", "yid"),
    "yo": ("Yoruba", "yor"), "za": ("Zhuang", "zha"), "zh": ("Chinese", "zho", "chi"), "zu": ("Zulu", "zul"),
}
THREE_TO_TWO = {three: two for two, (_, *threes) in ISO_639.items() for three in threes}
# a code, optionally with a region or script ("pt-BR", "zh_Hans", NLLB's "deu_Latn")
_CODE = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{2,8})*")


def language_code(value: str | None, setting: str = "tgt_lang") -> str | None:
    """The normalised code of ``value`` (``None`` or blank: no language); ``setting`` names
    the setting in the error for a value that is not a code."""
    if value is None or not value.strip():
        return None
    match = _CODE.fullmatch(value.strip())
    if match is None:
        name = value.strip().lower()
        known = [two for two, (english, *_) in ISO_639.items() if english.lower() == name]
        hint = (f"{known[0]} or {ISO_639[known[0]][1]} for {ISO_639[known[0]][0]}" if known
                else "e.g. de or deu for German")
        raise ConfigError("{" + setting + "}: {given!r} is not a language code; give an ISO 639-1 or 639-3 code "
                          "({hint})", settings=(setting,), given=value, hint=hint)
    code = match.group(1).lower()
    return THREE_TO_TWO.get(code, code)


def language_note(code: str | None) -> str | None:
    """One line on what the rules do for ``code`` when it has no function-word list, else ``None``."""
    from xner.projection.boundaries import stop_words

    if code is None or stop_words(code):
        return None
    name = ISO_639.get(code, (None,))[0]
    what = f"{code} ({name})" if name else code
    return (f"{what}: no function-word list for this language; projected spans are finished with punctuation and the "
            "words this corpus's alignments show standing beside names (learned per run; lists exist for the "
            "languages spaCy covers, e.g. de, es, fr, nl, yo)")
