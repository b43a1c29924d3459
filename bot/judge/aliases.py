"""Metonyms and demonyms that news uses for states ("Moscow", "the Kremlin", "Russian" for Russia)."""

from __future__ import annotations

from functools import lru_cache

from .text import stem

# canonical name: the words wire copy uses for it (capitals, seats of government, demonyms).
_TABLE = {
    "russia": "moscow kremlin russian russians",
    "ukraine": "kyiv kiev ukrainian ukrainians ukraine's",
    "usa": "washington american americans pentagon",
    "china": "beijing chinese prc",
    "taiwan": "taipei taiwanese",
    "israel": "israeli israelis jerusalem idf",
    "iran": "tehran iranian iranians",
    "palestine": "palestinian palestinians",
    "gaza": "gazan gazans",
    "syria": "damascus syrian syrians",
    "lebanon": "beirut lebanese",
    "iraq": "baghdad iraqi iraqis",
    "turkey": "ankara turkish turkiye",
    "uk": "britain british london whitehall",
    "france": "paris french elysee",
    "germany": "berlin german germans",
    "poland": "warsaw polish",
    "belarus": "minsk belarusian",
    "eu": "brussels european",
    "india": "delhi indian",
    "pakistan": "islamabad pakistani",
    "japan": "tokyo japanese",
    "korea": "seoul pyongyang korean koreans",
    "philippines": "manila philippine filipino filipinos",
    "venezuela": "caracas venezuelan",
    "sudan": "khartoum sudanese",
    "yemen": "sanaa yemeni houthi houthis",
    "egypt": "cairo egyptian",
    "qatar": "doha qatari",
    "saudi": "riyadh saudis",
    "georgia": "tbilisi georgian",
    "moldova": "chisinau moldovan",
    "serbia": "belgrade serbian serbs",
    "hungary": "budapest hungarian",
    "spain": "madrid spanish",
    "italy": "rome italian",
    "canada": "ottawa canadian",
    "mexico": "mexican",
    "brazil": "brasilia brazilian",
    "australia": "canberra australian",
}


@lru_cache(maxsize=1)
def _stem_map() -> dict[str, str]:
    """Stemmed alias -> stemmed canonical name (stems follow whatever text.stem does)."""
    out: dict[str, str] = {}
    for canon, words in _TABLE.items():
        c = stem(canon)
        for w in words.split():
            out[stem(w.replace("'s", ""))] = c
    return out


@lru_cache(maxsize=1)
def _name_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for c, words in _TABLE.items():
        for w in words.split():
            out[w.replace("'s", "")] = c
    return out


def canon_tokens(tokens: list[str]) -> list[str]:
    """Stemmed tokens with metonyms mapped (Moscow, the Kremlin, Russian -> Russia)."""
    m = _stem_map()
    return [m.get(t, t) for t in tokens]


def canon_names(names: set[str]) -> set[str]:
    """Lower-cased names with metonyms mapped ("kremlin" -> "russia")."""
    m = _name_map()
    return {m.get(n, n) for n in names}
