"""The generator's vocabulary: places, agencies, sentences, headlines, furniture.

Every character is in cp1252, so any generated page can be saved that way, except in
``WIDE_PLACES`` and ``MIXED_PLACES`` (a page that holds one is saved as UTF-8).
"""

from __future__ import annotations


def _split(words: str) -> tuple[str, ...]:
    return tuple(words.split("|"))


PLACES = _split(
    "'S-HERTOGENBOSCH|SÃO PAULO|ST. LOUIS|AIR FORCE ONE|MEXICO-STAD|DEN HAAG|LONDEN|IZJOEM|"
    "KYIV|BRUSSEL|DAMASCUS|ABU DHABI|BEIJING|TEHERAN|WASHINGTON|MOSKOU|PARIJS|OSLO|TOKIO|"
    "ARNHEM|LUXEMBURG|MILAAN|DAVOS|UTRECHT|AMSTERDAM|ROTTERDAM|EINDHOVEN|GRONINGEN|"
    "MAASTRICHT|BERGEN OP ZOOM|NEW YORK|LOS ANGELES|RIO DE JANEIRO|TEL AVIV|BOGOTÁ|MÜNCHEN|"
    "ZÜRICH|KÖLN|GENÈVE|REYKJAVÍK|ASUNCIÓN|CURAÇAO|L'AQUILA|N'DJAMENA|ST. PETERSBURG|"
    "WASHINGTON D.C.|HOEK VAN HOLLAND|'S-GRAVENHAGE|BERLIJN|MADRID|ROME|WENEN|ATHENE|ANKARA|"
    "KAIRO|NAIROBI|LAGOS|JOHANNESBURG|SYDNEY|TORONTO|OTTAWA|LIMA|SANTIAGO|HAVANA|CARACAS|"
    "ISTANBUL|BAGDAD|BEIROET|JERUZALEM|GAZA|KABUL|NEW DELHI|MUMBAI|SEOUL|TAIPEI|MANILLA|"
    "JAKARTA|HANOI|BANGKOK|MINSK|WARSCHAU|PRAAG|BOEDAPEST|BOEKAREST|SOFIA|BELGRADO|ZAGREB|"
    "KOPENHAGEN|STOCKHOLM|HELSINKI|TALLINN|RIGA|VILNIUS|DUBLIN|EDINBURGH|LISSABON|PORTO"
)
REGIONAL_PLACES = _split(
    "KATS|DOMBURG|KAPELLE|VLISSINGEN|MIDDELBURG|GOES|TERNEUZEN|ZIERIKZEE|HULST|YERSEKE|"
    "'S-HEER ARENDSKERKE|OOST-SOUBURG|WEST-SOUBURG|RITTHEM|SLUIS|AARDENBURG|OOSTBURG|VEERE|"
    "WESTKAPELLE|ZOUTELANDE|BRESKENS|AXEL|SAS VAN GENT|KRUININGEN|YERSEKE-MOER|ST. PHILIPSLAND|"
    "THOLEN|BRUINISSE|RENESSE|HAAMSTEDE|BURGH-HAAMSTEDE|ARNEMUIDEN|NIEUW- EN SINT JOOSLAND"
)
AGENCIES = _split(
    "ANP|ANP|ANP|ANP/RTR|ANP/AFP|ANP/DPA|ANP/RTR/AFP|ANP/AFP/RTR|ANP/Bloomberg|afp/belga|"
    "AFP/RTR|ANP/AP|Anp/Rtr|ANP/Belga|ANP/EFE|ANP/Bloomberg/RTR"
)
SUBJECTS = _split(
    "Het kabinet|De Europese Commissie|Het Kremlin|De Britse regering|Oekraïne|Het Witte Huis|"
    "De politie|Het Openbaar Ministerie|De gemeente|Een woordvoerder van het ministerie|"
    "De Verenigde Naties|De NAVO|De provincie Zeeland|Het waterschap|De brandweer|"
    "Premier Schoof|President Zelensky|Minister Kallas|De Franse president Macron|"
    "De Duitse bondskanselier Merz|De rechtbank|Het Europees Parlement|De vakbond FNV|"
    "Rijkswaterstaat|De kustwacht|Het RIVM|De Nederlandsche Bank|Het CBS|De KNVB|"
    "Een commissie van parlementariërs|De burgemeester van Vlissingen|Het Russische leger|"
    "De Italiaanse politie|Staatsmedia in China|De Poolse premier Tusk|Het Louvre|"
    "Het café aan de haven|De coöperatie van telers|Het Noorse hof|De Japanse regering"
)
VERBS = _split(
    "zegt|meldt|stelt|verwacht|ontkent|bevestigt|waarschuwt|laat weten|benadrukt|erkent|"
    "kondigt aan|maakt bekend|vreest|belooft|concludeert|schrijft"
)
CLAIMS = _split(
    "dat de situatie nog steeds uiterst moeilijk is|dat er meer geld nodig is voor de zorg|"
    "dat de onderhandelingen voorlopig zijn vastgelopen|dat de veiligheid op orde is|"
    "dat de prijzen van energie verder stijgen|dat het overleg volgende week wordt hervat|"
    "dat de brug over het kanaal weer open is|dat er geen sprake is van sabotage|"
    "dat de protesten in het weekend doorgaan|dat het onderzoek nog maanden duurt|"
    "dat de groei van de economie tegenvalt|dat de dijken het hoge water aankunnen|"
    "dat de staking voorlopig voorbij is|dat de begroting niet rond komt|"
    "dat de troepen zich terugtrekken uit de regio|dat de gesprekken constructief waren|"
    "dat de coalitie het eens is over de hervormingen|dat privé-gegevens zijn gelekt|"
    "dat de ruil van gevangenen is afgerond|dat het museum vrijdag weer opengaat"
)
TAILS = _split(
    "|, aldus de woordvoerder| na afloop van de top| volgens ingewijden| op sociale media|"
    " in een verklaring| tegenover de krant| tijdens een persconferentie| vrijdagochtend|"
    " na overleg met de EU-leiders| in Brussel| in de Tweede Kamer"
)
# Traps: they look like a dateline, an age or a section heading, but sit inside a sentence.
TRAPS = _split(
    "Dat zei een woordvoerder 3 uur geleden nog tegen persbureau ANP (ANP).|"
    "Het nieuws werd eerder gemeld door het ANP (ANP) en de NOS.|"
    "De economie kromp met 0,3 procent van het bruto binnenlands product (bbp).|"
    "Twee uur geleden lag het schip nog in de haven van Vlissingen.|"
    "2 dagen geleden werd de weg al afgesloten voor verkeer.|"
    "NAVO-chef Rutte zei - volgens ingewijden - dat het overleg goed verliep.|"
    "VS-president Trump (79) zei 5 minuten geleden nog dat hij komt.|"
    "De prijs ligt 20 procent hoger dan 1 jaar geleden, aldus het CBS.|"
    "WASHINGTON en Londen (ANP/RTR) overleggen - zo meldt de BBC - over sancties.|"
    "Oekraïne (ANP) - dat is het land waar het om draait, zei hij."
)
HEADLINE_SUBJECTS = _split(
    "Britten|Kremlin|Oekraïne|China|EU-buitenlandchef|Trump|Hof|Costa na top|Macron|Merz|"
    "Zelensky|Kabinet|Brandweer|Politie|Rechter|CBS|DNB|KNVB|Gemeente Goes|Waterschap|"
    "Rijkswaterstaat|Kustwacht|RIVM|Vakbond|Italië|Japan|Noorwegen|België|Curaçao|"
    "Poolse premier Tusk"
)
HEADLINE_CLAIMS = _split(
    "Rusland wil Izjoem veroveren voor nieuw momentum|geen bereidheid tot vrede|"
    "onderzoek naar sabotage van douches in olympisch dorp|'ongelooflijke tijd' in Davos|"
    "prijzen blijven stijgen|brug over kanaal weer open|staking voorbij|begroting loopt vast|"
    "nieuwe gevangenenruil afgesproken|meer geld voor dijken|strand afgesloten na vondst|"
    "fietsbrug geopend|onderzoek duurt nog maanden|gesprekken constructief|"
    "wat gebeurt er met de gelekte gegevens?|\"we staan klaar\"|museum gaat weer open|"
    "economie groeit minder dan verwacht|wegen afgesloten door storm|kritiek op hervormingen"
)
HEADINGS = _split(
    "Spoorrails|Reacties|Onderzoek|Kritiek uit Den Haag|Achtergrond|Gevolgen voor Zeeland|"
    "Oproep|Geschiedenis|Eerdere aanvallen|Wat nu"
)
SECTIONS = _split("Buitenland|Binnenland|Economie|Sport|Politiek|Tech|Cultuur & Media|Regio")
TICKER_CATEGORIES = _split("Voetbal|Binnenland|Buitenland|Economie|Wielrennen|Regio|Show|Formule 1")
BANNER = (
    "Webmail",
    "Kies je webmail",
    "Omdat ZeelandNet ook DELTA webmail aanbiedt, vragen we je eenmalig je voorkeur op te geven.",
)
COOKIES = (
    "Deze website gebruikt cookies. Door verder te klikken ga je hiermee akkoord.",
    "Wij gebruiken cookies om je de beste ervaring te geven; lees ons privacybeleid.",
)
EDITIONS = ("Editie: NL & Wereld | Zeeland", "Editie: Zeeland", "Editie: NL & Wereld")
WEEKDAYS = _split("maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag")
MONTHS = _split(
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
)
# Age units: singular, plural spellings, minutes per unit, largest count drawn.
UNITS = (
    ("seconde", ("seconden",), 0, 59),
    ("minuut", ("minuten",), 1, 59),
    ("uur", ("uur",), 60, 47),
    ("dag", ("dagen",), 1440, 6),
    ("week", ("weken",), 10080, 4),
    ("maand", ("maanden", "maand"), 43200, 11),
    ("jaar", ("jaar",), 525600, 4),
)
ODD_SPACES_CP1252: tuple[str, ...] = ("\u00a0", "  ", "\t")
ODD_SPACES_UTF8: tuple[str, ...] = ("\u00a0", "  ", "\t", "\u2009", "\u202f", "\u3000")

# Issue 15: places as real pages print them in mixed case, read where a dateline stands
# (upper-cased in the record); capitals beyond Latin-1; and sentences that open like a
# mixed-case dateline but stand mid-article, so stay text.
MIXED_PLACES = _split(
    "Den Haag|Borsele|Bergen op Zoom|'s-Hertogenbosch|Mexico-Stad|Zwolle|Vlissingen|"
    "Île-de-France|Łódź|Kapelle|Alphen aan den Rijn"
)
WIDE_PLACES = _split("ŁÓDŹ|ÎLE-DE-FRANCE|ΑΘΗΝΑ|КИЕВ|ŞANLIURFA")
MIXED_TRAPS = _split(
    "Den Haag - Dat is de stad waar het overleg plaatsvindt.|"
    "Borsele - Zo heet de gemeente waar het allemaal begon.|"
    "Den Haag - dat is waar de Kamer vergadert."
)
# Short headlines with a dash, as briefs carry them ("Vuurwerk - Verbod"): above a dateline
# they are the brief's headline, not a mixed-case dateline without agency.
DASHED_HEADLINE_HEADS = _split(
    "Vuurwerk|Kabinet|Zeeland|Den Haag|Borsele|Dijken|Strand|Markt|Zorg|Onderwijs|Energie"
)
DASHED_HEADLINE_TAILS = _split(
    "Verbod|Coalitie|Weer|Versterking|Drukte|Kramen|Wachtlijsten|Examens|Prijzen|"
    "Nieuw plan voor de haven|Kamer stemt in"
)
# Invisible marks a scraper leaves in front of a dateline: RLM, LRM, zero-width space.
INVISIBLE_MARKS = ("\u200f", "\u200e", "\u200b")
