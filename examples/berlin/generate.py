#!/usr/bin/env python3
"""Generate the Berlin example data set for co2ledger.

The data set imitates six years (2019 to 2024) of a Berlin administration: the
Land Berlin, its 12 districts (Bezirke), five Senate departments and 59 buildings
(sites). Apart from the 2023 district populations, every figure is invented; the
building names sound real but no consumption, spend or fleet figure belongs to a
real building, vehicle or supplier.

Usage (from anywhere; paths are resolved relative to this script):

    python3 examples/berlin/generate.py           # (re)write all files below
    python3 examples/berlin/generate.py --check   # exit 1 if a committed file differs

Python 3 standard library only. All randomness comes from one
random.Random(20241231); only random(), randint(), choice() and shuffle() are
used (their algorithms are stable across Python versions and platforms), no
math library functions, no iteration over sets, and amounts are rounded to
integers before formatting, so every run writes the same bytes.

Files written (next to this script)
-----------------------------------

org.csv
    Canonical organisation CSV (UTF-8, no BOM, LF, comma), header
    code,name,parent,kind,year,population,employees,floor_area_m2,number. One row per unit
    and year with statistics; the state BE has no statistics and appears once
    with empty year/statistics. 12 districts (kind district, parent BE) with
    population 2023 exactly as in reference factors.md §5b (Einwohnerregister
    31.12.2023, evidence [S]) and 2024 = 2023 x (1 + a few per mille),
    illustrative. District employees are illustrative; district floor area is
    the sum of its sites plus the smaller properties billed collectively to the
    district code (so per-m2 figures are consistent with the energy data). Five
    Senate departments (kind department, parent BE) with employees and floor
    area equal to the sum of their sites plus a remainder, no population. 59
    sites (kind site) with floor area and, for town halls, headquarters, fire
    and police stations, employees. Planted: PANKOW-GS2 opens on 01.08.2024 and
    has a 2024 row only; CW-GS1 gets a modular extension in 2024 (larger floor
    area in 2024); SENUMVK's name contains commas (RFC 4180 quoting).

energie-2023-2024.csv
    Utility-bill export as a billing portal writes it: Windows-1252 (cp1252),
    CRLF, ';', decimal comma, '.' thousands separator, DD.MM.YYYY. Header
    Liegenschaft;Zählernummer;Energieträger;Abrechnungsbeginn;Abrechnungsende;
    Verbrauch;Einheit;Tarif. About 170 meters: electricity (Strom, kWh; about a
    third of the contracts 'Ökostrom'), district heating (Fernwärme, MWh with 3
    decimals or kWh), natural gas (Erdgas, 'kWh Hs' gross kWh, some with 2
    decimals, or m³), heating oil (Heizöl, Liter) and pellets (Holzpellets,
    kWh), at sites and, for collective accounts of small properties, at
    district codes. Every bill that overlaps 2023-2024 is exported; bills of a
    meter are contiguous and never overlap. Billing cycles: monthly from the
    1st, monthly from the 15th (15.12.2022-14.01.2023 ...), calendar quarters,
    and yearly. Rows are sorted by billing end date (as an export of invoices
    is), so meters interleave. Planted:
      - NEUKOELLN-GS1 gas, quarters Dec-Feb: 01.12.2022-28.02.2023 (2023 gets a
        pro-rata part), 01.12.2023-29.02.2024 (leap day), 01.12.2024-28.02.2025
        (crosses into 2025);
      - LICHTENBERG-BIB district heating, quarters Nov-Jan:
        01.11.2023-31.01.2024 and 01.11.2024-31.01.2025;
      - TS-OS1 gas in m³, yearly from October with an interim reading:
        01.10.2022-30.09.2023, 01.10.2023-30.09.2024, 01.10.2024-31.12.2024;
      - MITTE-RH main electricity meter replaced on 15.05.2024: the old meter
        ends 14.05.2024, the new one starts 15.05.2024 (two meter ids);
      - PANKOW-GS2 meters start on 01.08.2024 (new building);
      - SPANDAU-BH and REINICKENDORF-BH heating oil, calendar-year bills;
      - MH-OS1's second electricity meter (1EMH1578635844) has bills in 2023
        and none in 2024: a meter that went silent.

tankkarten-2023-2024.csv
    Fuel-card export (UTF-8 without BOM, LF, ';', decimal comma, DD.MM.YYYY).
    Header Kennzeichen;Dienststelle;Tankdatum;Kraftstoff;Menge;Einheit. About 130
    vehicles with Berlin plates ('B-MI 1234', electric vehicles with the E
    suffix 'B-MI 1234E'): diesel vans and trucks, Super E10 cars, battery
    electric cars charging with the card (Kraftstoff 'Strom', Einheit 'kWh') and
    plug-in hybrids with both. A vehicle never has two rows on the same day.
    Sorted by date, then plate. Planted: Treptow-Köpenick's own vehicles (org
    TK) have no rows from September to November 2024 (three months missing).

fahrtenbuch-2023-2024.csv
    Logbook of business trips with private cars and rented vans, deliberately in
    the canonical co2ledger format: UTF-8, LF, ',', '.' decimal, ISO dates,
    header org,vehicle,fuel,vehicle_class,date,quantity,unit with fuel
    'distance', unit 'km', vehicle_class car_small/car_medium/car_large/
    car_average/van. Vehicle ids are pseudonyms (PRIV-<org>-NN, MIET-<org>-NN);
    one trip per vehicle and day at most.

beschaffung-2023-2024.csv
    Finance-system procurement export (UTF-8 with BOM, CRLF, ';', decimal
    comma, DD.MM.YYYY). Header Buchungsdatum;Dienststelle;CPV;Nettobetrag;
    Währung;Lieferant;Beschreibung. CPV codes (with check digit, all real CPV
    2008 codes) from divisions 03 15 18 22 30 33 34 39 44 45 48 50 55 60 64 71
    72 79 90; monthly cleaning, telecom and school-catering invoices plus
    ad-hoc purchases; quarterly postage and mobile-phone invoices; more
    bookings in December. Planted: twelve bookings whose CPV code lacks the
    check digit (e.g. 90911200); nine division-09 lines (09310000-5
    electricity, 09123000-7 natural gas, 09134100-8 diesel) that the engine
    must exclude as already counted; descriptions containing ';' (quoted); one
    description with an embedded double quote; supplier names with commas and
    umlauts. Supplier names are fictitious.

energie-2019-2022.csv, tankkarten-2019-2022.csv, fahrtenbuch-2019-2022.csv,
beschaffung-2019-2022.csv
    The same exports for 2019-2022, in the same formats, for the same meters,
    vehicles, cars and contracts, written after all the files above from the
    same random stream (so those stay byte for byte as before). A meter's
    earlier bills end the day before its first bill in energie-2023-2024.csv
    (contiguous across the two files; the first one may start in 2018).
    PANKOW-GS2 and MITTE-RH's new meter have none. Illustrative trends:
    consumption a little higher in earlier years (EARLY_FACTOR), electric cars
    joining between 2019 and 2022, fewer fuel and trips in 2020 and 2021
    (FLEET_FACTOR, TRIP_FACTOR), lower prices (PRICE_FACTOR).

fehlerhaft.csv
    A small utility-bill export in the energy format but UTF-8 (no BOM), LF,
    with 13 good rows and 10 bad ones, each bad row showing exactly one error.
    Physical line numbers (line 1 is the header):
       4  unknown org code 'SPANDUA' (closest: SPANDAU)
       7  Abrechnungsende '30.02.2024' (no such day)
       9  Abrechnungsbeginn '01.13.2023' (month 13)
      11  Abrechnungsende 01.03.2024 before Abrechnungsbeginn 31.03.2024
      13  negative Verbrauch '-1.234,00'
      14  Verbrauch 'nan'
      16  unknown Einheit 'kwhh'
      18  unknown Energieträger 'Fernwärmee'
      20  Einheit 'Liter' does not fit Energieträger 'Strom'
      22  empty required field Abrechnungsende
    The good rows use meters of their own and never overlap.
"""

import csv
import datetime as dt
import io
import os
import sys
import random

SEED = 20241231
HERE = os.path.dirname(os.path.abspath(__file__))

D = dt.date
FIRST = D(2023, 1, 1)   # first day of the balance years
LAST = D(2024, 12, 31)  # last day of the balance years
ONE_DAY = dt.timedelta(days=1)

rng = random.Random(SEED)


# --------------------------------------------------------------------------
# formatting helpers
# --------------------------------------------------------------------------

def de_number(units, decimals):
    """German number from an integer count of 10**-decimals: 1234567, 2 -> '12.345,67'."""
    sign = "-" if units < 0 else ""
    units = abs(units)
    whole, frac = divmod(units, 10 ** decimals)
    text = f"{whole:,}".replace(",", ".")
    if decimals:
        text += "," + str(frac).zfill(decimals)
    return sign + text


def en_number(units, decimals):
    """Canonical number with '.' decimal point and no grouping."""
    whole, frac = divmod(units, 10 ** decimals)
    return f"{whole}.{str(frac).zfill(decimals)}" if decimals else str(whole)


def de_date(d):
    return f"{d.day:02d}.{d.month:02d}.{d.year:04d}"


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    return D(d.year + y, m + 1, d.day)


def days_in_month(y, m):
    return (add_months(D(y, m, 1), 1) - D(y, m, 1)).days


def uniform(lo, hi):
    return lo + (hi - lo) * rng.random()


def render(header, rows, delimiter, newline):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline,
                   quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


# --------------------------------------------------------------------------
# organisation
# --------------------------------------------------------------------------

# code, name, population 31.12.2023 (factors.md §5b, Einwohnerregister, [S]),
# illustrative 2024 growth in per mille, plate letters (illustrative)
DISTRICTS = [
    ("MITTE", "Mitte", 397134, 5, "MI"),
    ("FK", "Friedrichshain-Kreuzberg", 293454, 3, "FK"),
    ("PANKOW", "Pankow", 424307, 7, "PA"),
    ("CW", "Charlottenburg-Wilmersdorf", 343081, 4, "CW"),
    ("SPANDAU", "Spandau", 257091, 6, "SP"),
    ("SZ", "Steglitz-Zehlendorf", 310446, 3, "SZ"),
    ("TS", "Tempelhof-Schöneberg", 355868, 4, "TS"),
    ("NEUKOELLN", "Neukölln", 330017, 2, "NK"),
    ("TK", "Treptow-Köpenick", 294081, 9, "TK"),
    ("MH", "Marzahn-Hellersdorf", 291948, 6, "MH"),
    ("LICHTENBERG", "Lichtenberg", 311881, 8, "LI"),
    ("REINICKENDORF", "Reinickendorf", 268792, 4, "RE"),
]
assert sum(d[2] for d in DISTRICTS) == 3878100  # Berlin total, factors.md §5b

DEPARTMENTS = [
    ("SENUMVK", "Senatsverwaltung für Mobilität, Verkehr, Klimaschutz und Umwelt", "UV"),
    ("SENFIN", "Senatsverwaltung für Finanzen", "FI"),
    ("SENBJF", "Senatsverwaltung für Bildung, Jugend und Familie", "BJ"),
    ("SENINNSPORT", "Senatsverwaltung für Inneres und Sport", "IS"),
    ("SENSBW", "Senatsverwaltung für Stadtentwicklung, Bauen und Wohnen", "SW"),
]

# Heat supply of a site: carrier, unit, decimals of the bill quantity.
FW_MWH = ("Fernwärme", "MWh", 3)
FW_KWH = ("Fernwärme", "kWh", 0)
GAS_HS = ("Erdgas", "kWh Hs", 0)
GAS_HS2 = ("Erdgas", "kWh Hs", 2)
GAS_M3 = ("Erdgas", "m³", 0)
OIL = ("Heizöl", "Liter", 0)
PEL = ("Holzpellets", "kWh", 0)

# Site types: floor area range (m²), employees range or None, electricity
# meters, annual electricity per meter (kWh), annual heat (kWh, final energy
# before unit conversion), electricity profile.
SITE_TYPES = {
    "RH":  ((14000, 24000), (380, 720), 1, (380000, 880000), (1100000, 2400000), "office"),
    "GS":  ((5500, 9000), None, 2, (65000, 160000), (380000, 900000), "school"),
    "OS":  ((8500, 14000), None, 2, (110000, 220000), (650000, 1450000), "school"),
    "BIB": ((2500, 6000), (25, 60), 1, (60000, 190000), (220000, 600000), "office"),
    "BH":  ((2200, 4800), (40, 90), 1, (60000, 170000), (260000, 560000), "office"),
    "HQ":  ((18000, 32000), (650, 1400), 2, (420000, 850000), (1700000, 3000000), "office"),
    "OSZ": ((12000, 16000), None, 2, (150000, 290000), (1000000, 1450000), "school"),
    "FW":  ((3000, 4200), (90, 140), 1, (180000, 290000), (500000, 850000), "flat"),
    "PA":  ((2600, 3600), (150, 230), 1, (150000, 240000), (380000, 650000), "flat"),
}

# code, name, parent, type, heat supply
SITES = [
    ("MITTE-RH", "Rathaus Mitte", "MITTE", "RH", FW_MWH),
    ("MITTE-GS1", "Grundschule am Weinberg", "MITTE", "GS", GAS_HS),
    ("MITTE-OS1", "Gymnasium Tiergarten", "MITTE", "OS", FW_KWH),
    ("MITTE-BIB", "Stadtbibliothek Mitte – Philipp-Schaeffer-Bibliothek", "MITTE", "BIB", FW_KWH),
    ("FK-RH", "Rathaus Kreuzberg", "FK", "RH", FW_MWH),
    ("FK-GS1", "Grundschule am Traveplatz", "FK", "GS", GAS_M3),
    ("FK-OS1", "Integrierte Sekundarschule Kreuzberg", "FK", "OS", GAS_HS2),
    ("FK-BIB", "Stadtbibliothek Friedrichshain-Kreuzberg – Pablo-Neruda-Bibliothek", "FK", "BIB", FW_KWH),
    ("PANKOW-RH", "Rathaus Pankow", "PANKOW", "RH", FW_MWH),
    ("PANKOW-GS1", "Grundschule am Kollwitzplatz", "PANKOW", "GS", GAS_HS),
    ("PANKOW-GS2", "Grundschule Pankow-Nord (Neubau, eröffnet 08/2024)", "PANKOW", "GS", FW_KWH),
    ("PANKOW-OS1", "Gymnasium Pankow", "PANKOW", "OS", GAS_HS2),
    ("PANKOW-BIB", "Stadtbibliothek Pankow – Heinrich-Böll-Bibliothek", "PANKOW", "BIB", GAS_HS),
    ("CW-RH", "Rathaus Charlottenburg", "CW", "RH", FW_MWH),
    ("CW-GS1", "Grundschule am Rüdesheimer Platz", "CW", "GS", GAS_M3),
    ("CW-OS1", "Gymnasium Wilmersdorf", "CW", "OS", FW_KWH),
    ("CW-BIB", "Stadtbibliothek Charlottenburg-Wilmersdorf – Heinrich-Schulz-Bibliothek", "CW", "BIB", FW_KWH),
    ("SPANDAU-RH", "Rathaus Spandau", "SPANDAU", "RH", FW_MWH),
    ("SPANDAU-GS1", "Grundschule an der Havel", "SPANDAU", "GS", GAS_HS),
    ("SPANDAU-OS1", "Oberschule Spandau-Nord", "SPANDAU", "OS", GAS_HS2),
    ("SPANDAU-BIB", "Stadtbibliothek Spandau", "SPANDAU", "BIB", GAS_HS),
    ("SPANDAU-BH", "Betriebshof Straßen- und Grünflächenamt Spandau", "SPANDAU", "BH", OIL),
    ("SZ-RH", "Rathaus Zehlendorf", "SZ", "RH", GAS_HS2),
    ("SZ-GS1", "Grundschule am Schlachtensee", "SZ", "GS", PEL),
    ("SZ-OS1", "Gymnasium Steglitz", "SZ", "OS", GAS_HS),
    ("SZ-BIB", "Stadtbibliothek Steglitz-Zehlendorf – Ingeborg-Drewitz-Bibliothek", "SZ", "BIB", FW_KWH),
    ("TS-RH", "Rathaus Schöneberg", "TS", "RH", FW_MWH),
    ("TS-GS1", "Grundschule am Tempelhofer Feld", "TS", "GS", GAS_HS),
    ("TS-OS1", "Sekundarschule Mariendorf", "TS", "OS", GAS_M3),
    ("TS-BIB", "Stadtbibliothek Tempelhof-Schöneberg – Eva-Maria-Buch-Haus", "TS", "BIB", FW_KWH),
    ("NEUKOELLN-RH", "Rathaus Neukölln", "NEUKOELLN", "RH", FW_MWH),
    ("NEUKOELLN-GS1", "Grundschule am Körnerpark", "NEUKOELLN", "GS", GAS_HS),
    ("NEUKOELLN-OS1", "Sekundarschule Britz", "NEUKOELLN", "OS", GAS_HS2),
    ("NEUKOELLN-BIB", "Stadtbibliothek Neukölln – Helene-Nathan-Bibliothek", "NEUKOELLN", "BIB", FW_KWH),
    ("TK-RH", "Rathaus Köpenick", "TK", "RH", GAS_HS),
    ("TK-GS1", "Grundschule am Müggelsee", "TK", "GS", PEL),
    ("TK-OS1", "Gymnasium Treptow", "TK", "OS", FW_KWH),
    ("TK-BIB", "Stadtbibliothek Treptow-Köpenick – Mittelpunktbibliothek Köpenick", "TK", "BIB", GAS_M3),
    ("MH-RH", "Rathaus Hellersdorf", "MH", "RH", FW_MWH),
    ("MH-GS1", "Grundschule an den Gärten", "MH", "GS", FW_KWH),
    ("MH-OS1", "Sekundarschule Marzahn", "MH", "OS", FW_KWH),
    ("MH-BIB", "Stadtbibliothek Marzahn-Hellersdorf – Mark-Twain-Bibliothek", "MH", "BIB", FW_KWH),
    ("LICHTENBERG-RH", "Rathaus Lichtenberg", "LICHTENBERG", "RH", FW_MWH),
    ("LICHTENBERG-GS1", "Grundschule am Tierpark", "LICHTENBERG", "GS", FW_KWH),
    ("LICHTENBERG-OS1", "Gymnasium Hohenschönhausen", "LICHTENBERG", "OS", GAS_HS),
    ("LICHTENBERG-BIB", "Stadtbibliothek Lichtenberg – Anna-Seghers-Bibliothek", "LICHTENBERG", "BIB", FW_MWH),
    ("REINICKENDORF-RH", "Rathaus Reinickendorf", "REINICKENDORF", "RH", GAS_HS2),
    ("REINICKENDORF-GS1", "Grundschule Tegel-Süd", "REINICKENDORF", "GS", GAS_HS),
    ("REINICKENDORF-OS1", "Gymnasium Frohnau", "REINICKENDORF", "OS", FW_KWH),
    ("REINICKENDORF-BIB", "Stadtbibliothek Reinickendorf – Humboldt-Bibliothek", "REINICKENDORF", "BIB", GAS_M3),
    ("REINICKENDORF-BH", "Betriebshof Straßen- und Grünflächenamt Reinickendorf", "REINICKENDORF", "BH", OIL),
    ("SENUMVK-HQ", "Dienstgebäude Am Köllnischen Park 3", "SENUMVK", "HQ", FW_MWH),
    ("SENFIN-HQ", "Dienstgebäude Klosterstraße 59", "SENFIN", "HQ", FW_MWH),
    ("SENBJF-HQ", "Dienstgebäude Bernhard-Weiß-Straße 6", "SENBJF", "HQ", FW_MWH),
    ("SENBJF-OSZ1", "Oberstufenzentrum Bürowirtschaft und Verwaltung", "SENBJF", "OSZ", GAS_HS),
    ("SENINNSPORT-HQ", "Dienstgebäude Klosterstraße 47", "SENINNSPORT", "HQ", FW_MWH),
    ("SENINNSPORT-FW1", "Feuer- und Rettungswache Wedding", "SENINNSPORT", "FW", GAS_HS2),
    ("SENINNSPORT-PA1", "Polizeiabschnitt 53", "SENINNSPORT", "PA", FW_KWH),
    ("SENSBW-HQ", "Dienstgebäude Fehrbelliner Platz 4", "SENSBW", "HQ", FW_MWH),
]

NEW_SITE = "PANKOW-GS2"            # opens 01.08.2024
NEW_SITE_OPEN = D(2024, 8, 1)
EXTENDED_SITE = "CW-GS1"           # modular extension in 2024
EXTENSION_M2 = 1450


def build_org():
    """Return (org.csv rows, site info by code)."""
    site_info = {}
    for code, name, parent, typ, heat in SITES:
        area_rng, emp_rng = SITE_TYPES[typ][0], SITE_TYPES[typ][1]
        area = rng.randint(area_rng[0] // 10, area_rng[1] // 10) * 10
        emp = rng.randint(*emp_rng) if emp_rng else None
        area24 = area + (EXTENSION_M2 if code == EXTENDED_SITE else 0)
        emp24 = emp + rng.randint(-8, 10) if emp is not None else None
        site_info[code] = dict(name=name, parent=parent, type=typ, heat=heat,
                               area={2023: area, 2024: area24},
                               emp={2023: emp, 2024: emp24})
    # properties billed collectively to the district code (Kitas, youth clubs,
    # sports grounds, small offices)
    collective_area = {code: rng.randint(1200, 2200) * 10 for code, *_ in DISTRICTS}

    # number: the state key 11 (Landesschlüssel) and the official Bezirk
    # numbers 01..12 (the order of DISTRICTS); the departments have none
    rows = [["BE", "Land Berlin", "", "state", "", "", "", "", "11"]]
    for i, (code, name, pop23, growth, _) in enumerate(DISTRICTS):
        pop = {2023: pop23, 2024: (pop23 * (1000 + growth) + 500) // 1000}
        emp23 = rng.randint(1900, 2900)
        emp = {2023: emp23, 2024: emp23 + rng.randint(-30, 70)}
        for year in (2023, 2024):
            area = collective_area[code] + sum(
                s["area"][year] for c, s in site_info.items()
                if s["parent"] == code and (year == 2024 or c != NEW_SITE))
            rows.append([code, name, "BE", "district", year, pop[year], emp[year], area,
                         "%02d" % (i + 1)])
    for code, name, _ in DEPARTMENTS:
        rest_emp = rng.randint(300, 900)
        rest_area = rng.randint(300, 900) * 10
        for year in (2023, 2024):
            subs = [s for s in site_info.values() if s["parent"] == code]
            emp = rest_emp + sum(s["emp"][year] or 0 for s in subs) + (0 if year == 2023 else rng.randint(-15, 25))
            area = rest_area + sum(s["area"][year] for s in subs)
            rows.append([code, name, "BE", "department", year, "", emp, area, ""])
    for code, s in site_info.items():
        for year in (2023, 2024):
            if code == NEW_SITE and year == 2023:
                continue
            emp = s["emp"][year]
            rows.append([code, s["name"], s["parent"], "site", year, "",
                         "" if emp is None else emp, s["area"][year], ""])
    return rows, site_info


# --------------------------------------------------------------------------
# energy bills
# --------------------------------------------------------------------------

# Relative monthly weights, January first.
PROFILE = {
    "heat":   [16, 14, 12, 7, 3, 1.5, 1, 1, 2.5, 7, 12, 15],
    "office": [9.2, 8.6, 8.8, 8.0, 7.9, 7.6, 7.7, 7.6, 8.0, 8.6, 9.0, 9.4],
    "school": [9.5, 9.2, 9.3, 8.0, 8.6, 8.3, 4.2, 5.0, 8.8, 8.0, 9.4, 8.1],
    "flat":   [8.8, 8.2, 8.5, 8.1, 8.2, 8.0, 8.3, 8.3, 8.0, 8.3, 8.5, 8.8],
}
# Year factors: 2024 a little lower (efficiency, mild winter), 2022/2025 for
# the pro-rata parts of bills crossing the balance years.
YEAR_FACTOR = {
    "el":   {2022: 1.02, 2023: 1.00, 2024: 0.975, 2025: 0.97},
    "heat": {2022: 1.05, 2023: 1.00, 2024: 0.955, 2025: 0.95},
}
MONTHS = [(y, m) for y in (2022, 2023, 2024, 2025) for m in range(1, 13)]

# kWh Hs per m³ used only to size m³ meters (about a tenth of the kWh Hs)
M3_DIVISOR = 10.4
# kWh per litre of heating oil, only to size oil meters
OIL_KWH_PER_L = 10.0

used_ids = set()
ALL_METERS = []      # every meter of the main file, for the earlier years


def new_id(make):
    while True:
        ident = make()
        if ident not in used_ids:
            used_ids.add(ident)
            return ident


def meter_id(carrier):
    digits = lambda: f"{rng.randint(10, 99)}{rng.randint(0, 99999999):08d}"
    if carrier == "Strom":
        return new_id(lambda: "1" + rng.choice(["ESY", "EBZ", "ISK", "EMH", "LGZ"]) + digits())
    if carrier == "Erdgas":
        return new_id(lambda: "7" + rng.choice(["ELS", "ITR", "PIP"]) + digits())
    if carrier == "Fernwärme":
        return new_id(lambda: "6" + rng.choice(["KAM", "DIE", "ENG"]) + digits())
    if carrier == "Heizöl":
        return new_id(lambda: f"HT{rng.randint(100000, 999999)}")
    if carrier == "Holzpellets":
        return new_id(lambda: f"PL{rng.randint(100000, 999999)}")
    raise ValueError(carrier)


def boundaries(cycle):
    """Start dates of billing periods from mid-2022 to mid-2025."""
    out = []
    if cycle in ("M1", "M15"):
        day = 1 if cycle == "M1" else 15
        d = D(2022, 6, day)
        while d <= D(2025, 7, 1):
            out.append(d)
            d = add_months(d, 1)
    elif cycle in ("Q1", "Q2", "Q3"):   # quarters starting Jan / Feb (Nov-Jan) / Mar (Dec-Feb)
        first = {"Q1": 1, "Q2": 2, "Q3": 3}[cycle]
        d = D(2022, first, 1)
        while d <= D(2025, 7, 1):
            out.append(d)
            d = add_months(d, 3)
    elif cycle == "Y":
        out = [D(y, 1, 1) for y in (2022, 2023, 2024, 2025, 2026)]
    elif cycle == "YOCT":               # yearly from October, interim reading 31.12.2024
        out = [D(2021, 10, 1), D(2022, 10, 1), D(2023, 10, 1), D(2024, 10, 1), D(2025, 1, 1)]
    else:
        raise ValueError(cycle)
    return out


def periods(cycle, start=None, end=None):
    """Inclusive billing periods of one meter that overlap 2023-2024, clipped to [start, end]."""
    b = boundaries(cycle)
    out = []
    for a, nxt in zip(b, b[1:]):
        z = nxt - ONE_DAY
        if z < FIRST or a > LAST:
            continue
        if start and z < start:
            continue
        if end and a > end:
            continue
        out.append((max(a, start) if start else a, min(z, end) if end else z))
    return out


class Meter:
    def __init__(self, org, carrier, unit, decimals, annual, profile, cycle,
                 tariff="", start=None, end=None, ident=None, monthly=None):
        self.org, self.carrier, self.unit, self.decimals = org, carrier, unit, decimals
        self.cycle, self.tariff, self.start, self.end = cycle, tariff, start, end
        self.ident = ident or meter_id(carrier)
        self.annual, self.profile = annual, profile
        kind = "el" if carrier == "Strom" else "heat"
        if monthly is None:
            weights = PROFILE[profile]
            total_w = sum(weights)
            trend = {y: YEAR_FACTOR[kind][y] for y in YEAR_FACTOR[kind]}
            trend[2024] *= 1 + (rng.random() - 0.5) * 0.06
            trend[2025] *= trend[2024] / YEAR_FACTOR[kind][2024]
            monthly = {}
            for (y, m) in MONTHS:
                noise = 1 + (rng.random() - 0.5) * 0.12
                monthly[(y, m)] = annual * weights[m - 1] / total_w * trend[y] * noise
        self.monthly = monthly

    def quantity(self, a, z):
        """Consumption between a and z inclusive, in the meter's unit."""
        total = 0.0
        d = a
        while d <= z:
            month_end = add_months(D(d.year, d.month, 1), 1) - ONE_DAY
            seg_end = min(month_end, z)
            days = (seg_end - d).days + 1
            total += self.monthly[(d.year, d.month)] * days / days_in_month(d.year, d.month)
            d = seg_end + ONE_DAY
        if self.unit == "MWh":
            return round(total)                 # kWh = thousandths of MWh
        return round(total * 10 ** self.decimals)

    def bills(self):
        return [(a, z, self.quantity(a, z)) for a, z in periods(self.cycle, self.start, self.end)]


def pick_cycle(kind):
    r = rng.random()
    if kind == "el":
        return "M1" if r < 0.58 else "M15" if r < 0.78 else "Q1" if r < 0.96 else "Y"
    return "M1" if r < 0.50 else "M15" if r < 0.66 else "Q1" if r < 0.95 else "Y"


def heat_annual_in_unit(kwh, heat):
    carrier, unit, _ = heat
    if unit == "m³":
        return kwh / M3_DIVISOR
    if unit == "Liter":
        return kwh / OIL_KWH_PER_L
    return kwh


def build_meters(site_info):
    meters = []
    el_meters = []
    for code, s in site_info.items():
        typ = SITE_TYPES[s["type"]]
        n_el, el_rng, heat_rng, prof = typ[2], typ[3], typ[4], typ[5]
        start = NEW_SITE_OPEN if code == NEW_SITE else None
        for i in range(n_el):
            annual = uniform(*el_rng) * (1 if i == 0 else 0.35)   # second meter: gym / annex
            m = Meter(code, "Strom", "kWh", 0, annual, prof, pick_cycle("el"), start=start)
            meters.append(m)
            el_meters.append(m)
        heat = s["heat"]
        annual = heat_annual_in_unit(uniform(*heat_rng), heat)
        cycle = pick_cycle("heat")
        if heat is OIL:
            cycle = "Y"
        if heat is PEL:
            cycle = "Q1" if code == "TK-GS1" else "Y"
        if code == "NEUKOELLN-GS1":
            cycle = "Q3"
        if code == "LICHTENBERG-BIB":
            cycle = "Q2"
        if code == "TS-OS1":
            cycle = "YOCT"
        meters.append(Meter(code, heat[0], heat[1], heat[2], annual, "heat", cycle, start=start))
    return meters, el_meters


def build_energy(site_info):
    meters, el_meters = build_meters(site_info)
    # collective accounts of small properties, booked to the district code
    for code, *_ in DISTRICTS:
        m = Meter(code, "Strom", "kWh", 0, uniform(300000, 700000), "office", pick_cycle("el"))
        meters.append(m)
        el_meters.append(m)
        heat = GAS_HS if rng.random() < 0.5 else GAS_HS2
        meters.append(Meter(code, heat[0], heat[1], heat[2], uniform(1000000, 2200000),
                            "heat", rng.choice(["M1", "Q1"])))
    # green tariff for a third of the electricity contracts
    order = list(range(len(el_meters)))
    rng.shuffle(order)
    for i in order[:len(el_meters) // 3]:
        el_meters[i].tariff = "Ökostrom"
    # meter change at MITTE-RH on 15.05.2024: old meter ends, new meter continues
    change = D(2024, 5, 15)
    old = next(m for m in meters if m.org == "MITTE-RH" and m.carrier == "Strom")
    old.cycle = "M1"
    old.end = change - ONE_DAY
    new = Meter(old.org, "Strom", "kWh", 0, 0, "office", "M1", tariff=old.tariff,
                start=change, monthly=old.monthly)
    meters.append(new)
    ALL_METERS.extend(meters)

    rows = []
    for m in meters:
        bills = m.bills()
        for (a1, z1, _), (a2, _, _) in zip(bills, bills[1:]):
            assert z1 + ONE_DAY == a2, (m.ident, z1, a2)      # contiguous, no overlap
        for a, z, q in bills:
            assert q > 0
            decimals = 3 if m.unit == "MWh" else m.decimals
            rows.append((z, m.org, m.ident, a,
                         [m.org, m.ident, m.carrier, de_date(a), de_date(z),
                          de_number(q, decimals), m.unit, m.tariff]))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    return [r[4] for r in rows]


# --------------------------------------------------------------------------
# fleet: fuel cards
# --------------------------------------------------------------------------

def vehicle_plan(site_info):
    """(owner code, plate letters, kind) for every vehicle of the fleet."""
    plan = []
    for code, _, _, _, letters in DISTRICTS:
        plan += [(code, letters, "petrol")] * rng.randint(2, 3)
        plan += [(code, letters, "ev")] * rng.randint(2, 3)
        plan += [(code, letters, "van")] * rng.randint(2, 3)
        if rng.random() < 0.5:
            plan.append((code, letters, "phev"))
    for code in ("SPANDAU-BH", "REINICKENDORF-BH"):
        letters = next(d[4] for d in DISTRICTS if d[0] == site_info[code]["parent"])
        plan += [(code, letters, "van")] * 3 + [(code, letters, "truck")] * 2
    for code, _, letters in DEPARTMENTS:
        plan += [(code, letters, "ev")] * rng.randint(1, 2)
        plan += [(code, letters, "petrol")] * rng.randint(0, 1)
        plan.append((code, letters, "phev"))
    plan += [("SENUMVK", "UV", "van")]
    plan += [("SENINNSPORT-FW1", "IS", "fire")] * 3
    plan += [("SENINNSPORT-PA1", "IS", "patrol")] * 4
    return plan


# kind: (fuel, unit, tank/battery size range, fill fraction range, days between fills, 7 days a week)
FUEL_KIND = {
    "petrol": [("Super E10", "Liter", (40, 55), (0.45, 0.92), (10, 24), False)],
    "van":    [("Diesel", "Liter", (65, 80), (0.45, 0.90), (6, 14), False)],
    "truck":  [("Diesel", "Liter", (90, 140), (0.50, 0.90), (4, 9), False)],
    "fire":   [("Diesel", "Liter", (150, 200), (0.30, 0.75), (5, 11), True)],
    "patrol": [("Diesel", "Liter", (55, 70), (0.55, 0.95), (2, 5), True)],
    "ev":     [("Strom", "kWh", (40, 77), (0.30, 0.85), (6, 14), False)],
    "phev":   [("Super E10", "Liter", (38, 45), (0.45, 0.90), (18, 35), False),
               ("Strom", "kWh", (10, 14), (0.55, 1.00), (4, 9), False)],
}


VEHICLES = []        # (owner, plate, kind, tank sizes), for the earlier years


def build_fleet(site_info):
    used_plates = set()
    rows = []
    for owner, letters, kind in vehicle_plan(site_info):
        electric = kind in ("ev", "phev")
        while True:
            plate = f"B-{letters} {rng.randint(100, 9999)}" + ("E" if electric else "")
            if plate not in used_plates:
                used_plates.add(plate)
                break
        used_days = set()
        sizes = []
        VEHICLES.append((owner, plate, kind, sizes))
        for fuel, unit, size_rng, frac_rng, gap, every_day in FUEL_KIND[kind]:
            size = rng.randint(*size_rng)
            sizes.append(size)
            d = FIRST + dt.timedelta(days=rng.randint(0, gap[1] - 1))
            while d <= LAST:
                while (not every_day and d.weekday() >= 5) or d.toordinal() in used_days:
                    d += ONE_DAY
                if d > LAST:
                    break
                used_days.add(d.toordinal())
                q = round(size * uniform(*frac_rng) * 100)
                rows.append((d, plate, [plate, owner, de_date(d), fuel, de_number(q, 2), unit]))
                d += dt.timedelta(days=rng.randint(*gap))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]


# --------------------------------------------------------------------------
# fleet: logbook of private cars (canonical format)
# --------------------------------------------------------------------------

CLASSES = ["car_small"] * 2 + ["car_medium"] * 4 + ["car_large"] + ["car_average"] * 2


CARS = []            # (owner, vehicle, class), for the earlier years


def build_logbook():
    owners = [d[0] for d in DISTRICTS] + [d[0] for d in DEPARTMENTS]
    rows = []
    for owner in owners:
        n_priv = rng.randint(3, 6)
        cars = [(f"PRIV-{owner}-{i + 1:02d}", rng.choice(CLASSES)) for i in range(n_priv)]
        cars += [(f"MIET-{owner}-{i + 1:02d}", "van") for i in range(rng.randint(0, 1))]
        for vehicle, cls in cars:
            CARS.append((owner, vehicle, cls))
            used = set()
            for year in (2023, 2024):
                trips = rng.randint(4, 10) if cls == "van" else rng.randint(10, 28)
                for _ in range(trips):
                    d = D(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
                    while d.weekday() >= 5 or d.toordinal() in used or d.year != year:
                        d += ONE_DAY
                        if d.year != year:
                            d = D(year, 1, 2)
                    used.add(d.toordinal())
                    if rng.random() < 0.7:
                        km = rng.randint(40, 450)        # tenths of km
                    else:
                        km = rng.randint(800, 4200)
                    rows.append((d, owner, vehicle,
                                 [owner, vehicle, "distance", cls, d.isoformat(),
                                  en_number(km, 1), "km"]))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [r[3] for r in rows]


# --------------------------------------------------------------------------
# procurement
# --------------------------------------------------------------------------

SUPPLIERS = {
    "buero": ["Bürobedarf Müller GmbH", "Spree-Papier Handels GmbH", "Kontor Schreibwaren Berlin OHG"],
    "it_hw": ["Havelland IT-Service GmbH", "Systemhaus Adlershof GmbH"],
    "it_sw": ["Datenwerk Nord GmbH", "Softwarehaus Moabit GmbH", "Havelland IT-Service GmbH"],
    "bau": ["Köpenicker Bau GmbH & Co. KG", "Hoch- und Tiefbau Weißensee GmbH"],
    "maler": ["Malerbetrieb Schröder e.K.", "Farbe & Raum Malerei GmbH"],
    "haustechnik": ["Haustechnik Lüdtke GmbH", "Elektro Wendt GmbH"],
    "planung": ["Meyer, Krause & Partner Ingenieure PartG mbB", "Architekturbüro Winter & Söhne"],
    "energieberatung": ["Energieberatung Spreebogen GmbH"],
    "reinigung": ["Märkische Gebäudereinigung GmbH", "Glanz & Co. Dienstleistungen GmbH",
                  "Reinigungsservice Tegeler Fließ GmbH"],
    "hygiene": ["Hygienebedarf Schulze GmbH"],
    "catering": ["Schulcatering Brandenburg GmbH", "Küche am Kanal gGmbH", "Frische Mahlzeit Berlin GmbH"],
    "hotel": ["Tagungshotel Müggelsee GmbH", "Hotel Spreeufer GmbH"],
    "druck": ["Druckerei am Kanal GmbH", "Satz & Druck Friedrichshagen KG"],
    "buch": ["Buchhandlung am Rathaus e.K.", "Fachbuchvertrieb Ost GmbH"],
    "grün": ["Grünwerk Gartenbau Berlin GmbH", "Baumschule Lübars e.K."],
    "blumen": ["Blumen Krause e.K."],
    "lebensmittel": ["Getränke Hoffmann-Nord GmbH", "Kaffeerösterei Schöneweide GmbH"],
    "textil": ["Arbeitsschutz Zimmermann GmbH", "Berufsbekleidung Spandau KG"],
    "medizin": ["Sanitätshaus Mehringdamm GmbH", "Medizintechnik Buch GmbH"],
    "autohaus": ["Autohaus Marienfelde GmbH"],
    "fahrrad": ["Fahrradwerk Pankow GmbH"],
    "reifen": ["Reifen-Dienst Lichtenrade GmbH"],
    "kfz": ["Kfz-Werkstatt Britz GmbH", "Autohaus Marienfelde GmbH"],
    "moebel": ["Büromöbel Zehlendorf GmbH", "Schulmöbel Brandenburg GmbH"],
    "baustoff": ["Baustoffhandel Oberschöneweide GmbH", "Eisenwaren Krüger OHG"],
    "aufzug": ["Aufzugsdienst Mitte GmbH"],
    "bus": ["Busreisen Havelland GmbH", "Schülerbeförderung Ost GmbH"],
    "taxi": ["Taxi-Genossenschaft Südwest eG"],
    "post": ["Briefdienst Hauptstadt GmbH", "Kurierdienst Spreeflitzer GmbH"],
    "telekom": ["Netzwerk Berlin Telekommunikation GmbH"],
    "mobilfunk": ["MobilFunk Ost GmbH"],
    "beratung": ["Verwaltungsberatung Kruse GmbH"],
    "übersetzung": ["Übersetzungsbüro Lindner"],
    "sicherheit": ["Sicherheitsdienst Adler GmbH"],
    "werbung": ["Agentur Stadtkommunikation GmbH"],
    "event": ["Veranstaltungstechnik Wuhlheide GmbH"],
    "winterdienst": ["Winterdienst Lichtenberg GmbH"],
    "strassenreinigung": ["Kehrdienst Nordost GmbH"],
    "schädling": ["Schädlingsbekämpfung Kühn e.K."],
    "abfall": ["Entsorgung Nordost GmbH"],
}

# cpv, supplier list, amount range EUR, weight, description templates ({q}
# quarter, {m} month/year, {y} year). Descriptions with ';' are quoted in the file.
CATALOGUE = [
    ("03451000-6", "grün", (150, 6500), 3, ["Bepflanzung Außenanlagen", "Stauden und Sträucher für Schulhof"]),
    ("03452000-3", "grün", (400, 18000), 2, ["Baumpflanzungen Straßenbegleitgrün", "Ersatzpflanzung Bäume; Herbst {y}"]),
    ("03121200-7", "blumen", (40, 600), 1, ["Blumen für Empfang", "Blumenschmuck Ehrung"]),
    ("15981000-8", "lebensmittel", (30, 900), 3, ["Mineralwasser für Sitzungen", "Wasser; Sitzungsdienst {m}"]),
    ("15860000-4", "lebensmittel", (25, 700), 3, ["Kaffee und Tee", "Kaffee, Tee, Zucker für Besprechungsräume"]),
    ("15800000-6", "lebensmittel", (40, 1500), 1, ["Verpflegung Veranstaltung", "Lebensmittel Ferienprogramm"]),
    ("18110000-3", "textil", (200, 9000), 2, ["Dienstkleidung Ordnungsamt", "Berufskleidung Hausmeister"]),
    ("18830000-6", "textil", (150, 4000), 1, ["Sicherheitsschuhe S3", "Schutzschuhe Betriebshof"]),
    ("22100000-1", "buch", (150, 6000), 1, ["Fachbücher Bibliothek", "Bücher und Broschüren"]),
    ("22120000-7", "buch", (80, 3500), 1, ["Fachzeitschriften Abonnement {y}", "Veröffentlichungen Amtsblatt"]),
    ("22458000-5", "druck", (200, 12000), 2, ["Vordrucke Bürgeramt", "Flyer; Plakate; Aufkleber"]),
    ("30192000-1", "buero", (25, 2500), 14, ["Büromaterial", "Büromaterial; Sammelbestellung {q}",
                                              "Rahmenvertrag Büromaterial; Abruf {m}", "Ordner, Stifte, Notizblöcke"]),
    ("30197630-1", "buero", (80, 4500), 8, ["Kopierpapier A4 Recycling", "Druckerpapier; Recycling 80 g/m²"]),
    ("30125100-2", "buero", (60, 3000), 6, ["Tonerkartuschen", "Toner; Trommeleinheiten"]),
    ("30213000-5", "it_hw", (700, 45000), 5, ["Arbeitsplatzrechner", "PC-Austausch {q}", "Arbeitsplatz-PCs Bürgeramt"]),
    ("30213100-6", "it_hw", (900, 60000), 5, ["Notebooks für mobiles Arbeiten", "Notebooks Schulen; Digitalpakt"]),
    ("30232110-8", "it_hw", (250, 8000), 3, ["Laserdrucker", "Multifunktionsdrucker"]),
    ("33140000-3", "medizin", (50, 2500), 2, ["Verbandmaterial", "Sanitätsmaterial"]),
    ("33141000-0", "medizin", (40, 1800), 2, ["Erste-Hilfe-Material", "Einmalhandschuhe; Desinfektion"]),
    ("34144900-7", "autohaus", (28000, 52000), 1, ["Elektrofahrzeug Fuhrpark", "E-Transporter Ordnungsamt"]),
    ("34430000-0", "fahrrad", (800, 14000), 2, ["Dienstfahrräder", "Lastenrad Grünflächenamt"]),
    ("34350000-5", "reifen", (300, 5000), 2, ["Reifen Fuhrpark", "Winterreifen; Montage"]),
    ("39130000-2", "moebel", (300, 30000), 4, ["Büromöbel", "Schreibtische höhenverstellbar"]),
    ("39160000-1", "moebel", (500, 45000), 3, ["Schulmöbel", "Schülertische und Stühle"]),
    ("39830000-9", "hygiene", (60, 3500), 3, ["Reinigungsmittel", "Reinigungsmittel; Handtuchpapier"]),
    ("39150000-8", "moebel", (200, 9000), 2, ["Regale Archiv", "Einrichtung Besprechungsraum"]),
    ("44111000-1", "baustoff", (150, 12000), 3, ["Baumaterial Bauunterhaltung", "Zement, Sand, Pflastersteine"]),
    ("44500000-5", "baustoff", (40, 3000), 2, ["Werkzeuge Betriebshof", "Schließzylinder und Schlüssel"]),
    ("45214200-2", "bau", (40000, 850000), 2, ["Schulbau Abschlagsrechnung {m}", "Modularer Ergänzungsbau; Abschlag {m}"]),
    ("45321000-3", "bau", (15000, 320000), 2, ["Wärmedämmung Fassade", "Dachdämmung Sporthalle"]),
    ("45331000-6", "haustechnik", (8000, 260000), 2, ["Heizungsanlage Erneuerung", "Lüftungsanlage Klassenräume"]),
    ("45442100-8", "maler", (1500, 45000), 3, ["Malerarbeiten Flure", "Anstricharbeiten Klassenräume"]),
    ("45453000-7", "bau", (5000, 180000), 3, ["Instandsetzung Sanitärräume", "Sanierung Treppenhaus"]),
    ("45310000-3", "haustechnik", (2000, 95000), 2, ["Elektroinstallation", "Elektroinstallation; Beleuchtung LED"]),
    ("45233140-2", "bau", (10000, 400000), 1, ["Straßenbauarbeiten", "Gehwegsanierung"]),
    ("48000000-8", "it_sw", (500, 40000), 3, ["Softwarelizenzen", "Fachverfahren Lizenz {y}"]),
    ("48760000-3", "it_sw", (300, 12000), 2, ["Virenschutz Lizenzen {y}", "Endpoint-Schutz; Verlängerung"]),
    ("48900000-7", "it_sw", (200, 15000), 2, ["Software", "Softwarepaket Bibliothek"]),
    ("50110000-9", "kfz", (150, 6000), 4, ["Kfz-Reparatur", "Inspektion Dienstfahrzeug"]),
    ("50700000-2", "haustechnik", (300, 25000), 4, ["Wartung Haustechnik", "Wartung Heizung; Lüftung; Sanitär"]),
    ("50750000-7", "aufzug", (250, 4500), 3, ["Aufzugswartung {q}", "Wartung Aufzüge; {q}"]),
    ("50312000-5", "it_hw", (150, 6000), 2, ["Reparatur Drucker", "Wartung IT-Hardware"]),
    ("55520000-1", "catering", (150, 9000), 3, ["Catering Veranstaltung", "Bewirtung Bezirksverordnetenversammlung"]),
    ("55110000-4", "hotel", (90, 2500), 2, ["Hotelübernachtung Dienstreise", "Übernachtung Fortbildung"]),
    ("60130000-8", "bus", (400, 25000), 2, ["Schülerbeförderung", "Beförderung Förderschule {m}"]),
    ("60120000-5", "taxi", (15, 400), 3, ["Taxifahrten", "Taxi Rufbereitschaft"]),
    ("60100000-9", "bus", (300, 6000), 1, ["Busfahrt Klassenfahrt", "Busanmietung Betriebsausflug"]),
    ("71200000-0", "planung", (3000, 120000), 2, ["Architektenleistungen LPH 1-4", "Architektenleistungen; Bauüberwachung"]),
    ("71300000-1", "planung", (2000, 90000), 2, ["Ingenieurleistungen TGA", "Tragwerksplanung"]),
    ("71320000-7", "planung", (2000, 60000), 1, ["Planung Haustechnik", "Planung Photovoltaikanlage"]),
    ("71314200-4", "energieberatung", (1500, 40000), 2, ["Energiemanagement", "Energieaudit Liegenschaften"]),
    ("72000000-5", "it_sw", (1000, 90000), 3, ["IT-Dienstleistungen", "IT-Support {q}"]),
    ("72200000-7", "it_sw", (2000, 150000), 2, ["Softwareentwicklung Fachverfahren", "Programmierung Online-Dienst"]),
    ("72250000-2", "it_sw", (800, 40000), 3, ["Systembetreuung", "Support; Wartung; Updates"]),
    ("72260000-5", "it_sw", (500, 30000), 2, ["Softwarepflege {y}", "Softwarebezogene Dienste"]),
    ("72400000-4", "it_sw", (200, 9000), 2, ["Internetdienste", "Webhosting {y}"]),
    ("79341000-6", "werbung", (500, 25000), 2, ["Werbung Stellenanzeigen", "Anzeigen Beteiligungsverfahren"]),
    ("79710000-4", "sicherheit", (1500, 45000), 3, ["Sicherheitsdienst {m}", "Wachschutz; Objektschutz {m}"]),
    ("79410000-1", "beratung", (3000, 95000), 2, ["Organisationsberatung", "Beratung Verwaltungsdigitalisierung"]),
    ("79530000-8", "übersetzung", (100, 4500), 2, ["Übersetzungen", "Übersetzung Bescheide; Arabisch; Ukrainisch"]),
    ("79810000-5", "druck", (200, 15000), 2, ["Druckdienste", "Druck Haushaltsplan"]),
    ("79952000-2", "event", (500, 35000), 2, ["Veranstaltungstechnik", "Organisation Bürgerfest"]),
    ("90911300-9", "reinigung", (300, 9000), 3, ["Fensterreinigung {q}", "Glasreinigung Rathaus"]),
    ("90620000-9", "winterdienst", (500, 25000), 2, ["Winterdienst {m}", "Winterdienst; Räumen und Streuen"]),
    ("90610000-6", "strassenreinigung", (500, 18000), 2, ["Straßenreinigung Sonderreinigung", "Laubbeseitigung"]),
    ("90922000-6", "schädling", (150, 4500), 2, ["Schädlingsbekämpfung", "Rattenbekämpfung Grünanlage"]),
    ("90511000-2", "abfall", (200, 12000), 3, ["Abfallentsorgung {m}", "Sperrmüll; Grünschnitt"]),
]

# recurring invoices: cpv, supplier list, amount range per invoice, description,
# months between invoices
RECURRING = [
    ("90911200-8", "reinigung", (2500, 38000), "Unterhaltsreinigung {m}", 1),
    ("64210000-1", "telekom", (600, 9500), "Telefon und Datenleitungen {m}", 1),
    ("55524000-9", "catering", (4000, 60000), "Schulverpflegung {m}", 1),
    ("64100000-7", "post", (900, 20000), "Postdienstleistungen {q}", 3),
    ("64212000-5", "mobilfunk", (400, 6000), "Mobilfunk {q}", 3),
]

# division 09: already counted through energy and fleet inputs; excluded by the engine
DIVISION_09 = [
    ("09310000-5", "Energiehandel Mitte GmbH", "Stromlieferung Abschlag {m}"),
    ("09123000-7", "Gasvertrieb Havel GmbH", "Erdgaslieferung Abschlag {m}"),
    ("09134100-8", "Tankkarten-Service Nord GmbH", "Tankkarten Sammelrechnung Diesel {m}"),
]

EMBEDDED_QUOTE = 'Broschüre "Klimaneutrales Berlin 2045", Auflage 5.000'


def skewed_cents(lo, hi):
    """Integer cents in [lo, hi] EUR, skewed towards small amounts."""
    a = rng.randint(lo * 100, hi * 100)
    b = rng.randint(lo * 100, hi * 100)
    c = rng.randint(lo * 100, hi * 100)
    return min(a, b, c)


def workday(d):
    while d.weekday() >= 5:
        d += ONE_DAY
    return d


def describe(template, d):
    return template.format(m=f"{d.month:02d}/{d.year}", q=f"Q{(d.month - 1) // 3 + 1}/{d.year}", y=d.year)


CONTRACTS = []       # recurring invoices (cpv, org, supplier, base, template, months)


def build_procurement():
    districts = [d[0] for d in DISTRICTS]
    departments = [d[0] for d in DEPARTMENTS]
    rows = []
    # recurring invoices for services from Dec 2022 to Dec 2024, booked in the
    # following month (December 2024 is booked before year end)
    for cpv, group, rng_eur, tmpl, every in RECURRING:
        payers = districts if cpv == "55524000-9" else districts + departments
        for org in payers:
            supplier = rng.choice(SUPPLIERS[group])
            base = rng.randint(*rng_eur)
            CONTRACTS.append((cpv, org, supplier, base, tmpl, every))
            service = D(2022, 12, 1) if every == 1 else D(2023, 1, 1)
            while service <= LAST:
                booked = workday(add_months(service, every) + dt.timedelta(days=rng.randint(2, 20)))
                if booked > LAST:
                    booked = workday(D(2024, 12, 16) + dt.timedelta(days=rng.randint(0, 4)))
                summer = cpv == "55524000-9" and service.month in (7, 8)   # school holidays
                cents = round(base * 100 * (0.6 if summer else 1.0) * uniform(0.94, 1.06))
                rows.append([booked, org, cpv, cents, supplier, describe(tmpl, service)])
                service = add_months(service, every)
    # ad-hoc purchases, more of them in December (year-end spending)
    weighted = []
    for entry in CATALOGUE:
        weighted += [entry] * entry[3]
    payers = districts * 4 + departments * 2 + ["SENBJF-OSZ1", "SENINNSPORT-FW1", "SENINNSPORT-PA1"]
    for _ in range(1900):
        cpv, group, (lo, hi), _, templates = rng.choice(weighted)
        year = rng.choice((2023, 2024))
        month = 12 if rng.random() < 0.10 else rng.randint(1, 12)
        d = workday(D(year, month, rng.randint(1, 28)))
        rows.append([d, rng.choice(payers), cpv, skewed_cents(lo, hi),
                     rng.choice(SUPPLIERS[group]), describe(rng.choice(templates), d)])
    # the one description with an embedded double quote
    rows.append([D(2024, 3, 14), "SENUMVK", "22458000-5", 784950, "Druckerei am Kanal GmbH", EMBEDDED_QUOTE])
    # division 09 lines (to be excluded)
    for i, (cpv, supplier, tmpl) in enumerate(DIVISION_09):
        for j, org in enumerate(("MITTE", "TS", "SENFIN")):
            d = workday(D(2023 + (i + j) % 2, 2 + 4 * j, 10 + i))
            rows.append([d, org, cpv, rng.randint(1800000, 24000000), supplier, describe(tmpl, d)])
    # a few codes without check digit, as some finance systems store them
    candidates = [i for i, r in enumerate(rows) if not r[2].startswith("09")]
    for _ in range(12):
        i = rng.choice(candidates)
        rows[i][2] = rows[i][2].split("-")[0]
    assert sum("-" not in r[2] for r in rows) == 12      # as documented
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    return [[de_date(d), org, cpv, de_number(c, 2), "EUR", sup, text]
            for d, org, cpv, c, sup, text in rows]


# --------------------------------------------------------------------------
# deliberately broken utility export
# --------------------------------------------------------------------------

# Physical line -> error; checked against the generated file below and listed
# in the README.
PLANTED_ERRORS = {
    4: "unknown org code SPANDUA",
    7: "invalid date 30.02.2024",
    9: "month 13 in 01.13.2023",
    11: "end before start",
    13: "negative quantity",
    14: "quantity nan",
    16: "unknown unit kwhh",
    18: "unknown carrier Fernwärmee",
    20: "unit Liter does not fit carrier Strom",
    22: "empty Abrechnungsende",
}


def build_broken():
    el = meter_id("Strom")
    gas = meter_id("Erdgas")
    fw = meter_id("Fernwärme")
    oil = meter_id("Heizöl")

    def good(org, ident, carrier, a, z, units, decimals, unit, tariff=""):
        return [org, ident, carrier, de_date(a), de_date(z), de_number(units, decimals), unit, tariff]

    def month(i):
        a = D(2024, i, 1)
        return a, add_months(a, 1) - ONE_DAY

    el_q = [41230, 38870, 37415, 33980, 32105]
    gas_q = [10876543, 9954210, 8012377, 4410298, 2003345]
    rows = [
        good("SPANDAU-RH", el, "Strom", *month(1), el_q[0], 0, "kWh", "Ökostrom"),            # 2
        good("SPANDAU-GS1", gas, "Erdgas", *month(1), gas_q[0], 2, "kWh Hs"),                 # 3
        ["SPANDUA", meter_id("Strom"), "Strom", "01.01.2024", "31.01.2024", "12.480", "kWh", ""],  # 4
        good("SPANDAU-RH", el, "Strom", *month(2), el_q[1], 0, "kWh", "Ökostrom"),            # 5
        good("SPANDAU-BIB", fw, "Fernwärme", D(2024, 1, 1), D(2024, 3, 31), 164233, 3, "MWh"),  # 6
        ["SPANDAU-OS1", meter_id("Erdgas"), "Erdgas", "01.02.2024", "30.02.2024", "9.871", "m³", ""],  # 7
        good("SPANDAU-GS1", gas, "Erdgas", *month(2), gas_q[1], 2, "kWh Hs"),                 # 8
        ["SPANDAU-BIB", meter_id("Fernwärme"), "Fernwärme", "01.13.2023", "31.01.2024", "58,120", "MWh", ""],  # 9
        good("SPANDAU-RH", el, "Strom", *month(3), el_q[2], 0, "kWh", "Ökostrom"),            # 10
        ["SPANDAU-GS1", meter_id("Strom"), "Strom", "31.03.2024", "01.03.2024", "7.315", "kWh", ""],  # 11
        good("SPANDAU-GS1", gas, "Erdgas", *month(3), gas_q[2], 2, "kWh Hs"),                 # 12
        ["SPANDAU-OS1", meter_id("Strom"), "Strom", "01.03.2024", "31.03.2024", "-1.234,00", "kWh", ""],  # 13
        ["SPANDAU-OS1", meter_id("Erdgas"), "Erdgas", "01.03.2024", "31.03.2024", "nan", "kWh Hs", ""],  # 14
        good("SPANDAU-RH", el, "Strom", *month(4), el_q[3], 0, "kWh", "Ökostrom"),            # 15
        ["SPANDAU-BIB", meter_id("Strom"), "Strom", "01.04.2024", "30.04.2024", "11.902", "kwhh", ""],  # 16
        good("SPANDAU-BIB", fw, "Fernwärme", D(2024, 4, 1), D(2024, 6, 30), 61870, 3, "MWh"),  # 17
        ["SPANDAU-RH", meter_id("Fernwärme"), "Fernwärmee", "01.04.2024", "30.04.2024", "96,450", "MWh", ""],  # 18
        good("SPANDAU-GS1", gas, "Erdgas", *month(4), gas_q[3], 2, "kWh Hs"),                 # 19
        ["SPANDAU-BH", meter_id("Strom"), "Strom", "01.04.2024", "30.04.2024", "1.250", "Liter", ""],  # 20
        good("SPANDAU-BH", oil, "Heizöl", D(2023, 1, 1), D(2023, 12, 31), 41250, 0, "Liter"),  # 21
        ["SPANDAU-OS1", meter_id("Erdgas"), "Erdgas", "01.04.2024", "", "88.410", "kWh Hs", ""],  # 22
        good("SPANDAU-RH", el, "Strom", *month(5), el_q[4], 0, "kWh", "Ökostrom"),            # 23
        good("SPANDAU-GS1", gas, "Erdgas", *month(5), gas_q[4], 2, "kWh Hs"),                 # 24
    ]
    return rows


# --------------------------------------------------------------------------
# the earlier years 2019-2022
# --------------------------------------------------------------------------
#
# Written after everything above, from the same random stream, so the files of
# 2023-2024 stay exactly as they were. The same meters, vehicles, cars and
# contracts; every bill that ends before a meter's first bill in
# energie-2023-2024.csv and overlaps 2019-2022, so that the two files together
# are contiguous per meter. The trends are illustrative.

EARLY_FIRST = D(2019, 1, 1)
EARLY_LAST = D(2022, 12, 31)
EARLY_YEARS = (2019, 2020, 2021, 2022)
# Consumption relative to 2023: electricity slowly falling, 2020 lower (offices
# and schools partly closed); heat falling with a cold 2021; 2022 as above.
EARLY_FACTOR = {
    "el":   {2018: 1.09, 2019: 1.08, 2020: 1.01, 2021: 1.05},
    "heat": {2018: 1.12, 2019: 1.12, 2020: 1.07, 2021: 1.10},
}
# Fuel per fill relative to 2023-2024 and business trips per year: a dip in 2020.
FLEET_FACTOR = {2019: 1.04, 2020: 0.86, 2021: 0.94, 2022: 1.0}
TRIP_FACTOR = {2019: 1.0, 2020: 0.45, 2021: 0.65, 2022: 0.9}
# Net prices relative to 2023-2024 (illustrative; not the price index).
PRICE_FACTOR = {2019: 0.86, 2020: 0.87, 2021: 0.90, 2022: 0.95}
ADHOC_PER_YEAR = {2019: 900, 2020: 700, 2021: 800, 2022: 900}


def early_boundaries(cycle):
    """Start dates of billing periods from 2017 to 2023 (same cycles as boundaries())."""
    out = []
    if cycle in ("M1", "M15"):
        d = D(2018, 6, 1 if cycle == "M1" else 15)
        while d <= D(2023, 2, 1):
            out.append(d)
            d = add_months(d, 1)
    elif cycle in ("Q1", "Q2", "Q3"):
        d = D(2018, {"Q1": 1, "Q2": 2, "Q3": 3}[cycle], 1)
        while d <= D(2023, 4, 1):
            out.append(d)
            d = add_months(d, 3)
    elif cycle == "Y":
        out = [D(y, 1, 1) for y in range(2018, 2025)]
    elif cycle == "YOCT":
        out = [D(y, 10, 1) for y in range(2017, 2024)]
    else:
        raise ValueError(cycle)
    return out


def build_energy_early():
    rows = []
    for m in ALL_METERS:
        if m.start is not None:          # PANKOW-GS2 and MITTE-RH's new meter: no earlier bills
            continue
        first = m.bills()[0][0]
        kind = "el" if m.carrier == "Strom" else "heat"
        weights = PROFILE[m.profile]
        total_w = sum(weights)
        for y in (2018, 2019, 2020, 2021):
            trend = EARLY_FACTOR[kind][y] * (1 + (rng.random() - 0.5) * 0.06)
            for mo in range(1, 13):
                noise = 1 + (rng.random() - 0.5) * 0.12
                m.monthly[(y, mo)] = m.annual * weights[mo - 1] / total_w * trend * noise
        b = early_boundaries(m.cycle)
        bills = []
        for a, nxt in zip(b, b[1:]):
            z = nxt - ONE_DAY
            if z < EARLY_FIRST or z >= first:
                continue
            bills.append((a, z, m.quantity(a, z)))
        assert bills and bills[-1][1] + ONE_DAY == first, (m.ident, bills[-1:], first)
        for (a1, z1, _), (a2, _, _) in zip(bills, bills[1:]):
            assert z1 + ONE_DAY == a2, (m.ident, z1, a2)
        for a, z, q in bills:
            assert q > 0
            decimals = 3 if m.unit == "MWh" else m.decimals
            rows.append((z, m.org, m.ident, a,
                         [m.org, m.ident, m.carrier, de_date(a), de_date(z),
                          de_number(q, decimals), m.unit, m.tariff]))
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    return [r[4] for r in rows]


def build_fleet_early():
    rows = []
    for owner, plate, kind, sizes in VEHICLES:
        start = EARLY_FIRST
        if kind in ("ev", "phev"):       # the electric cars joined the fleet 2019-2022
            start = D(rng.choice(EARLY_YEARS), rng.randint(1, 12), 1)
        used_days = set()
        for (fuel, unit, _, frac_rng, gap, every_day), size in zip(FUEL_KIND[kind], sizes):
            d = start + dt.timedelta(days=rng.randint(0, gap[1] - 1))
            while d <= EARLY_LAST:
                while (not every_day and d.weekday() >= 5) or d.toordinal() in used_days:
                    d += ONE_DAY
                if d > EARLY_LAST:
                    break
                used_days.add(d.toordinal())
                q = min(round(size * uniform(*frac_rng) * FLEET_FACTOR[d.year] * 100), size * 100)
                rows.append((d, plate, [plate, owner, de_date(d), fuel, de_number(q, 2), unit]))
                d += dt.timedelta(days=rng.randint(*gap))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in rows]


def build_logbook_early():
    rows = []
    for owner, vehicle, cls in CARS:
        used = set()
        for year in EARLY_YEARS:
            trips = rng.randint(4, 10) if cls == "van" else rng.randint(10, 28)
            for _ in range(round(trips * TRIP_FACTOR[year])):
                d = D(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
                while d.weekday() >= 5 or d.toordinal() in used or d.year != year:
                    d += ONE_DAY
                    if d.year != year:
                        d = D(year, 1, 2)
                used.add(d.toordinal())
                km = rng.randint(40, 450) if rng.random() < 0.7 else rng.randint(800, 4200)
                rows.append((d, owner, vehicle,
                             [owner, vehicle, "distance", cls, d.isoformat(), en_number(km, 1), "km"]))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [r[3] for r in rows]


def build_procurement_early():
    rows = []
    for cpv, org, supplier, base, tmpl, every in CONTRACTS:
        # the services before the first one of beschaffung-2023-2024.csv
        first = D(2022, 12, 1) if every == 1 else D(2023, 1, 1)
        service = D(2019, 1, 1)
        while service < first:
            booked = workday(add_months(service, every) + dt.timedelta(days=rng.randint(2, 20)))
            if booked > EARLY_LAST:      # booked before the year closes
                booked = workday(D(2022, 12, 16) + dt.timedelta(days=rng.randint(0, 4)))
            summer = cpv == "55524000-9" and service.month in (7, 8)
            cents = round(base * 100 * PRICE_FACTOR[service.year] * (0.6 if summer else 1.0)
                          * uniform(0.94, 1.06))
            if booked >= EARLY_FIRST:
                rows.append([booked, org, cpv, cents, supplier, describe(tmpl, service)])
            service = add_months(service, every)
    weighted = []
    for entry in CATALOGUE:
        weighted += [entry] * entry[3]
    districts = [d[0] for d in DISTRICTS]
    departments = [d[0] for d in DEPARTMENTS]
    payers = districts * 4 + departments * 2 + ["SENBJF-OSZ1", "SENINNSPORT-FW1", "SENINNSPORT-PA1"]
    for year in EARLY_YEARS:
        for _ in range(ADHOC_PER_YEAR[year]):
            cpv, group, (lo, hi), _, templates = rng.choice(weighted)
            month = 12 if rng.random() < 0.10 else rng.randint(1, 12)
            d = workday(D(year, month, rng.randint(1, 28)))
            cents = round(skewed_cents(lo, hi) * PRICE_FACTOR[year])
            rows.append([d, rng.choice(payers), cpv, max(cents, 100),
                         rng.choice(SUPPLIERS[group]), describe(rng.choice(templates), d)])
    assert all(EARLY_FIRST <= r[0] <= EARLY_LAST for r in rows)
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    return [[de_date(d), org, cpv, de_number(c, 2), "EUR", sup, text]
            for d, org, cpv, c, sup, text in rows]


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

SILENT_METER = "1EMH1578635844"   # MH-OS1, electricity of the annex
ENERGY_HEADER = ["Liegenschaft", "Zählernummer", "Energieträger", "Abrechnungsbeginn",
                 "Abrechnungsende", "Verbrauch", "Einheit", "Tarif"]
BOM = b"\xef\xbb\xbf"


def build_all():
    org_rows, site_info = build_org()
    energy_rows = build_energy(site_info)
    fleet_rows = build_fleet(site_info)
    log_rows = build_logbook()
    proc_rows = build_procurement()
    broken_rows = build_broken()
    energy_early = build_energy_early()
    fleet_early = build_fleet_early()
    log_early = build_logbook_early()
    proc_early = build_procurement_early()

    # Planted gaps in 2024 for the completeness check (docs/methodology.md
    # §10b), taken out after generation so that no other row changes: the
    # fuel-card export of Treptow-Köpenick's own vehicles misses September
    # to November 2024, and the annex meter of Marzahn-Hellersdorf's school
    # MH-OS1 has no bill in 2024 (it went silent).
    fleet_rows = [r for r in fleet_rows
                  if not (r[1] == "TK" and r[2][3:] in ("09.2024", "10.2024", "11.2024"))]
    energy_rows = [r for r in energy_rows
                   if not (r[1] == SILENT_METER and r[3].endswith("2024"))]
    assert any(r[1] == SILENT_METER for r in energy_rows)

    # every org code used by the main files exists in org.csv
    codes = {r[0] for r in org_rows}
    for name, rows, col in (("energie", energy_rows + energy_early, 0),
                            ("tankkarten", fleet_rows + fleet_early, 1),
                            ("fahrtenbuch", log_rows + log_early, 0),
                            ("beschaffung", proc_rows + proc_early, 1)):
        for r in rows:
            assert r[col] in codes, (name, r)

    files = {
        "org.csv": render(["code", "name", "parent", "kind", "year", "population", "employees",
                           "floor_area_m2", "number"], org_rows, ",", "\n").encode("utf-8"),
        "energie-2023-2024.csv": render(ENERGY_HEADER, energy_rows, ";", "\r\n").encode("cp1252"),
        "tankkarten-2023-2024.csv": render(["Kennzeichen", "Dienststelle", "Tankdatum", "Kraftstoff",
                                            "Menge", "Einheit"], fleet_rows, ";", "\n").encode("utf-8"),
        "fahrtenbuch-2023-2024.csv": render(["org", "vehicle", "fuel", "vehicle_class", "date",
                                             "quantity", "unit"], log_rows, ",", "\n").encode("utf-8"),
        "beschaffung-2023-2024.csv": BOM + render(["Buchungsdatum", "Dienststelle", "CPV", "Nettobetrag",
                                                   "Währung", "Lieferant", "Beschreibung"],
                                                  proc_rows, ";", "\r\n").encode("utf-8"),
        "fehlerhaft.csv": render(ENERGY_HEADER, broken_rows, ";", "\n").encode("utf-8"),
        "energie-2019-2022.csv": render(ENERGY_HEADER, energy_early, ";", "\r\n").encode("cp1252"),
        "tankkarten-2019-2022.csv": render(["Kennzeichen", "Dienststelle", "Tankdatum", "Kraftstoff",
                                            "Menge", "Einheit"], fleet_early, ";", "\n").encode("utf-8"),
        "fahrtenbuch-2019-2022.csv": render(["org", "vehicle", "fuel", "vehicle_class", "date",
                                             "quantity", "unit"], log_early, ",", "\n").encode("utf-8"),
        "beschaffung-2019-2022.csv": BOM + render(["Buchungsdatum", "Dienststelle", "CPV", "Nettobetrag",
                                                   "Währung", "Lieferant", "Beschreibung"],
                                                  proc_early, ";", "\r\n").encode("utf-8"),
    }
    broken_lines = files["fehlerhaft.csv"].decode("utf-8").split("\n")
    assert broken_lines[3].startswith("SPANDUA;") and ";30.02.2024;" in broken_lines[6]
    assert ";01.13.2023;" in broken_lines[8] and ";nan;" in broken_lines[13]
    assert ";kwhh;" in broken_lines[15] and ";Fernwärmee;" in broken_lines[17]
    assert ";Liter;" in broken_lines[19] and ";;88.410;" in broken_lines[21]
    counts = {"org.csv": len(org_rows), "energie-2023-2024.csv": len(energy_rows),
              "tankkarten-2023-2024.csv": len(fleet_rows), "fahrtenbuch-2023-2024.csv": len(log_rows),
              "beschaffung-2023-2024.csv": len(proc_rows), "fehlerhaft.csv": len(broken_rows),
              "energie-2019-2022.csv": len(energy_early), "tankkarten-2019-2022.csv": len(fleet_early),
              "fahrtenbuch-2019-2022.csv": len(log_early), "beschaffung-2019-2022.csv": len(proc_early)}
    return files, counts


def main(argv):
    check = "--check" in argv[1:]
    files, counts = build_all()
    differ = []
    for name, data in files.items():
        path = os.path.join(HERE, name)
        if check:
            try:
                with open(path, "rb") as f:
                    if f.read() != data:
                        differ.append(name)
            except FileNotFoundError:
                differ.append(name)
        else:
            with open(path, "wb") as f:
                f.write(data)
        print(f"{name}: {counts[name]} data rows, {len(data)} bytes")
    if differ:
        print("differs from generator output: " + ", ".join(differ), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
