"""A deterministic synthetic briefing: N news-like articles for the benchmark.

Each article is ~600 words in ~9 paragraphs, laid out the way a pasted web page is (outlet line,
headline, byline, date line, body), with named speakers who have roles, direct quotes in curly and
straight marks with speech verbs, colon-introduced quotes and reported speech. Vocabulary follows a
Zipf law over a few hundred real news words and a long tail of invented ones, so term statistics,
prefix expansions and phrase frequencies behave like a real news corpus of that size.

    python scripts/synth.py DIR --n 1000 [--seed 7]

Also importable: `generate(dir, n, seed)` returns a `SynthInfo` with the people, vocabulary and
sample phrases that `bench.py` builds its queries from.
"""

from __future__ import annotations

import argparse
import itertools
import random
from dataclasses import dataclass, field
from pathlib import Path

REAL_WORDS = """
the of to and a in that said is for on with was he it as at by be have from has his not are this
but they an were had which would will their been more who after also about there than its one we
new government minister officials talks security president country military forces war people
year told week could two against over state first last other into only some talks foreign policy
agreement support sanctions troops border region international national meeting negotiations
negotiate negotiator negotiators negotiating conference statement spokesman spokeswoman ministry
election elections economic economy trade market markets prices energy gas oil pipeline supplies
alliance allies allied defence defense missile missiles weapons nuclear deal deals proposal proposals
demands demand demanded guarantees guarantee diplomatic diplomacy diplomats diplomat envoy summit
parliament committee council court law laws legal rights human report reports reported reporting
administration leaders leader leadership capital city cities crisis tensions tension escalation
invasion invade invading attack attacks attacked threat threats threatened warn warned warning
response respond responded concern concerns concerned decision decisions decide decided plan plans
planned planning budget tax taxes bank banks banking finance financial investment investors
company companies industry industrial workers jobs unemployment inflation interest rates growth
health hospital hospitals vaccine virus pandemic schools students teachers education university
police officers arrested protest protests protesters demonstrators crowd crowds violence killed
wounded soldiers army navy air base bases exercise exercises drills deployment deployed deploy
ceasefire peace process progress compromise concessions sovereignty territory territorial integrity
independence referendum constitution reform reforms corruption investigation investigators evidence
prosecutor prosecutors judge trial verdict sentence prison charges accused allegations
climate emissions carbon renewable power electricity grid drought floods storm storms harvest
farmers food aid humanitarian refugees migrants asylum camps shelter water supply shortages
""".split()

SYLLABLES = (
    "ka ren sto mi lar vel tor dan ber sul pra nol gri fen hal mor tes vin qua zel rup cor "
    "lis tam bro den fal gus hep jor kel lun mas nev ost pil rov sen tul var wes yor zan "
    "ab ex in on ur el am ir ol an ev is"
).split()
SUFFIXES = ["", "", "", "", "s", "ed", "ing", "tion", "ment", "er", "ers", "ly", "ity", "ance", "al", "ive"]

FIRST = """Anna Mark Olga Peter Sergei Wendy Antony Maria Ivan Elena John Sarah David Laura Michael
Natalia Oleksiy Yuri Dmitry Ana Pedro Lucia Hans Greta Ahmed Fatima Kenji Mei Tomasz Agnieszka Jean
Claire Luca Giulia Omar Leila Samuel Ruth Viktor Irina Pavel Marta Andrei Sofia Nikolai Daria Karl
Ingrid Paul Helen Robert Emma James Alice Thomas Nadia Boris Vera Ali Zainab Carlos Ines Felix Hanna
Rahul Priya Chen Li Kwame Ama Diego Elisa Stefan Petra""".split()
LAST = """Sherman Ryabkov Blinken Lavrov Peskov Stoltenberg Kuleba Zelenskyy Sullivan Price Moore Smith
Johnson Petrov Ivanova Kovalenko Shevchenko Novak Kowalski Schmidt Muller Rossi Bianchi Martin Dubois
Garcia Fernandez Lopez Hassan Khan Tanaka Sato Wang Zhang Okafor Mensah Silva Costa Andersen Larsen
Nielsen Berg Lindqvist Horvat Popescu Ionescu Georgiou Papadopoulos Yilmaz Demir Cohen Levi Brennan
Walsh Murphy Kelly Novotny Dvorak Kozak Marchenko Bondarenko Melnyk Tkachenko Orlov Sokolov Volkov
Lebedev Morozov Fedorov Mikhailov Nikitin Zakharov Baranov Gusev Titov Kuznetsov Popov Vasiliev Pavlov
Semenov Golubev Vinogradov Bogdanov Vorobyov Fisher Grant Hughes Price Reed Shaw Turner Ward Wells
Young Carter Mitchell Ortega Navarro Ramos Castillo Vargas Mendes Duarte Pereira Sousa Barros""".split()

SIDES = [
    ("north", "Northland", ["Northland", "Northern", "Nordgrad"]),
    ("south", "Southland", ["Southland", "Southern", "Meridia"]),
    ("east", "Eastern League", ["Eastern League", "League", "Ostmark"]),
    ("west", "Western Union", ["Western Union", "Western", "Westport"]),
]
ROLES = [
    "{adj} Foreign Minister", "{adj} Deputy Foreign Minister", "{adj} defence minister",
    "spokesman for the {adj} government", "spokeswoman for the {adj} foreign ministry",
    "senior {adj} official", "{adj} ambassador to the United Nations", "{adj} President",
    "chief {adj} negotiator", "{adj} national security adviser", "{adj} Prime Minister",
    "head of the {adj} delegation",
]
OUTLETS = ["The Daily Courier", "Evening Herald", "World News Service", "The Morning Chronicle",
           "Global Press Agency", "The Capital Times", "Harbour Gazette", "Continental Observer"]
CITIES = ["GENEVA", "BRUSSELS", "VIENNA", "NORDGRAD", "MERIDIA", "OSTMARK", "WESTPORT", "HELSINKI"]
AGENCIES = ["AP", "Reuters", "AFP"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
SAY = ["said", "told reporters", "added", "insisted", "warned", "argued", "stressed", "declared",
       "explained", "noted", "claimed", "maintained"]
INTRO = ["warned", "said", "insisted", "declared", "added", "told the conference", "wrote on social media"]
REPORTED = ["said that", "told reporters that", "argued that", "insisted that", "warned that",
            "maintained that", "suggested that", "acknowledged that"]


@dataclass(slots=True)
class Person:
    name: str
    role: str
    side: str

    @property
    def last(self) -> str:
        return self.name.split()[-1]


@dataclass(slots=True)
class SynthInfo:
    root: Path
    n: int
    people: list[Person]
    vocabulary: list[str]  # by rank: most frequent first
    bigrams: list[str] = field(default_factory=list)  # sampled consecutive word pairs from bodies
    files: list[Path] = field(default_factory=list)


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words = list(dict.fromkeys(REAL_WORDS))
    seen = set(words)
    while len(words) < size:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 2, 3, 3))))
        word = stem + rng.choice(SUFFIXES)
        if word not in seen and len(word) >= 4:
            seen.add(word)
            words.append(word)
    return words


def _people(rng: random.Random, count: int) -> list[Person]:
    out, seen = [], set()
    while len(out) < count:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in seen:
            continue
        seen.add(name)
        side_id, _label, cues = rng.choice(SIDES)
        out.append(Person(name, rng.choice(ROLES).format(adj=cues[0]), side_id))
    return out


class _Writer:
    def __init__(self, rng: random.Random, vocab: list[str]):
        self.rng = rng
        self.vocab = vocab
        weights = [1.0 / (rank + 2.7) ** 1.08 for rank in range(len(vocab))]
        self.cum = list(itertools.accumulate(weights))

    def words(self, k: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=k)

    def clause(self, lo: int = 6, hi: int = 14) -> str:
        words = self.words(self.rng.randint(lo, hi))
        if len(words) > 7 and self.rng.random() < 0.4:
            words[self.rng.randint(3, len(words) - 3)] += ","
        return " ".join(words)

    def sentence(self, lo: int = 14, hi: int = 28) -> str:
        text = self.clause(lo, hi)
        return text[0].upper() + text[1:] + "."


def _quote_marks(rng: random.Random) -> tuple[str, str]:
    return ("“", "”") if rng.random() < 0.6 else ('"', '"')


def _paragraph(w: _Writer, rng: random.Random, kind: str, person: Person, first_mention: bool) -> str:
    o, c = _quote_marks(rng)
    who = f"{person.role} {person.name}" if first_mention else person.last
    verb = rng.choice(SAY)
    if kind == "quote_after":  # “Quote,” said X. More narrative.
        q = w.sentence(10, 22)[:-1]
        lead = f"{o}{q},{c} {verb} {who}." if rng.random() < 0.5 else f"{o}{q},{c} {who} {verb}."
        return " ".join([lead, w.sentence(), w.sentence(14, 24), w.sentence(10, 20)])
    if kind == "quote_split":  # “Part one,” X said. “Part two.”
        return (f"{o}{w.sentence(8, 16)[:-1]},{c} {who} {verb}. {o}{w.sentence(12, 22)} {w.sentence(10, 18)}{c} "
                + w.sentence(14, 24))
    if kind == "colon":  # X warned: “Quote.”
        return f"{w.sentence(12, 20)} {who} {rng.choice(INTRO)}: {o}{w.sentence(14, 26)}{c} {w.sentence(10, 18)}"
    if kind == "reported":  # X said that ...; according to X, ...
        if rng.random() < 0.5:
            text = f"{who} {rng.choice(REPORTED)} {w.clause(12, 22)}. {w.sentence()} {w.sentence(14, 24)}"
            return text[0].upper() + text[1:]
        return f"According to {who}, {w.clause(12, 22)}. {w.sentence()} {w.sentence(12, 20)}"
    if kind == "scare":  # narrative with a short quoted phrase
        words = w.words(3)
        return f"{w.sentence(14, 22)[:-1]} in what {person.last} called {o}{' '.join(words)}.{c} {w.sentence(16, 26)}"
    return " ".join(w.sentence() for _ in range(rng.randint(3, 5)))


def article_text(rng: random.Random, w: _Writer, people: list[Person], index: int) -> str:
    cast = rng.sample(people, rng.randint(3, 5))
    mentioned: set[str] = set()
    title_words = w.words(rng.randint(5, 9))
    title = " ".join(title_words).capitalize()
    outlet = rng.choice(OUTLETS)
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.choice((2021, 2022, 2023))}"
    lines = [outlet, title, f"By {author.upper()}" if rng.random() < 0.5 else f"By {author}", date]

    if rng.random() < 0.5:
        lead = f"{rng.choice(CITIES)} ({rng.choice(AGENCIES)}) — {w.sentence(18, 28)} {w.sentence(14, 22)}"
    else:
        lead = f"{w.sentence(18, 28)} {w.sentence(14, 22)}"
    body = [lead]
    kinds = ["quote_after", "quote_split", "colon", "reported", "narrative", "scare", "quote_after", "reported"]
    for _ in range(rng.randint(7, 9)):
        kind = rng.choice(kinds)
        person = rng.choice(cast)
        body.append(_paragraph(w, rng, kind, person, person.name not in mentioned))
        mentioned.add(person.name)
    return "\n\n".join(lines + body) + "\n"


def manifest_text(people: list[Person]) -> str:
    out = ['title = "Synthetic benchmark briefing"', ""]
    for side_id, label, cues in SIDES:
        out += ["[[sides]]", f'id = "{side_id}"', f'label = "{label}"', "cues = [" + ", ".join(f'"{c}"' for c in cues) + "]", ""]
    out.append("[people]")
    for p in people[:40]:
        out.append(f'"{p.name}" = "{p.side}"')
    return "\n".join(out) + "\n"


def generate(root: Path | str, n: int, seed: int = 7, vocab_size: int = 40_000) -> SynthInfo:
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    vocab = _vocabulary(rng, vocab_size)
    people = _people(rng, max(60, min(2500, n // 4)))
    w = _Writer(rng, vocab)
    info = SynthInfo(root, n, people, vocab)
    (root / "briefing.toml").write_text(manifest_text(people), encoding="utf-8")
    width = max(5, len(str(n)))
    # Phrases people search for are content words side by side ("security guarantees"), not
    # "of the": sample bigrams whose words are both outside the 30 commonest.
    common = set(vocab[:30])
    pick = random.Random(seed + 1)  # its own stream: the articles do not depend on the sampling
    step = max(1, n // 400)
    for i in range(n):
        text = article_text(rng, w, people, i)
        path = root / f"{i:0{width}d}_synth.txt"
        path.write_text(text, encoding="utf-8")
        info.files.append(path)
        if i % step == 0 and len(info.bigrams) < 2000:
            para = text.split("\n\n")[-1].split()
            for _ in range(3):
                j = pick.randrange(0, max(1, len(para) - 2))
                pair = para[j:j + 2]
                if len(pair) == 2 and all(t.isalpha() and t.islower() and t not in common for t in pair):
                    info.bigrams.append(" ".join(pair))
                    break
    return info


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    info = generate(args.dir, args.n, args.seed)
    print(f"{info.n} articles in {info.root}")


if __name__ == "__main__":
    main()
