#!/usr/bin/env python3
"""Converts a `tsunagu synth` site into the Hugo site a support centre would build instead.

    to-hugo.py SYNTH_DIR HUGO_DIR

One page per listing (content/entries/<id>.md) with the taxonomies category, region,
municipality and care in its front matter and the listing's Markdown description as its body.
The layout renders the name, the facts and the body inside `data-pagefind-body`, with
`data-pagefind-filter` on category, region, municipality and care. Pagefind indexes the fields
tsunagu's index searches (name, kana, category, services, region, municipality, address, phone,
fax, operator, care labels, hours, description); the other facts (mail, website, ages, capacity,
flags, verified date) and the field labels are shown but marked `data-pagefind-ignore`, so that
both tools search the same text with the same filters.

Labels are tsunagu's built-in ones (src/config.rs, src/entry.rs); the synthetic site.toml
relabels nothing. Needs Python 3.11+ (tomllib) and nothing else.
"""

import json
import os
import sys
import tomllib

CATEGORIES = {
    "facility": "通所・支援施設",
    "short-stay": "短期入所・レスパイト",
    "visiting-nurse": "訪問看護",
    "school": "学校・保育",
}
CARE = {
    "ventilator": "人工呼吸器",
    "tracheostomy": "気管切開",
    "airway": "鼻咽頭エアウェイ",
    "oxygen": "酸素療法",
    "suction": "吸引",
    "nebulizer": "ネブライザー",
    "tube-feeding": "経管栄養",
    "central-venous": "中心静脈カテーテル",
    "injection": "皮下注射",
    "blood-glucose": "血糖測定",
    "dialysis": "透析",
    "catheterization": "導尿",
    "bowel": "排便管理",
    "seizure": "痙攣時の処置",
}
FLAGS = {
    "transport": "送迎",
    "bathing": "入浴",
    "overnight": "宿泊",
    "weekend": "土日祝",
    "evening": "夕方（18時以降）",
    "walking": "動ける医ケア児",
}

CONFIG = """\
baseURL = "https://example.org/"
languageCode = "ja"
defaultContentLanguage = "ja"
hasCJKLanguage = true
title = {title}
disableKinds = ["RSS"]
paginate = 50

[taxonomies]
category = "categories"
region = "regions"
municipality = "municipalities"
care = "care"
"""

HEAD = """\
<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} | {{ .Site.Title }}</title>
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
"""

SINGLE = HEAD + """\
<main data-pagefind-body>
<h1>{{ .Title }}</h1>
{{ with .Params.kana }}<p>{{ . }}</p>{{ end }}
<dl>
<dt data-pagefind-ignore>種類</dt>
<dd>{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}" data-pagefind-filter="category">{{ .LinkTitle }}</a>{{ end }}</dd>
{{ with .Params.services }}<dt data-pagefind-ignore>サービス</dt><dd>{{ delimit . "、" }}</dd>{{ end }}
<dt data-pagefind-ignore>地域</dt>
<dd>{{ range .GetTerms "regions" }}<a href="{{ .RelPermalink }}" data-pagefind-filter="region">{{ .LinkTitle }}</a>{{ end }}
{{ range .GetTerms "municipalities" }}<a href="{{ .RelPermalink }}" data-pagefind-filter="municipality">{{ .LinkTitle }}</a>{{ end }}</dd>
<dt data-pagefind-ignore>住所</dt><dd>{{ with .Params.postal_code }}〒{{ . }} {{ end }}{{ .Params.address }}</dd>
{{ with .Params.phone }}<dt data-pagefind-ignore>電話</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.fax }}<dt data-pagefind-ignore>FAX</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.operator }}<dt data-pagefind-ignore>運営</dt><dd>{{ . }}</dd>{{ end }}
{{ with .GetTerms "care" }}<dt data-pagefind-ignore>対応できる医療的ケア</dt>
<dd>{{ range . }}<a href="{{ .RelPermalink }}" data-pagefind-filter="care">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}
{{ with .Params.hours }}<dt data-pagefind-ignore>利用時間</dt><dd>{{ . }}</dd>{{ end }}
</dl>
<dl data-pagefind-ignore>
{{ with .Params.email }}<dt>メール</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.website }}<dt>ウェブサイト</dt><dd><a href="{{ . }}">{{ . }}</a></dd>{{ end }}
{{ with .Params.ages }}<dt>対象年齢</dt><dd>{{ . }}</dd>{{ end }}
{{ with .Params.capacity }}<dt>定員</dt><dd>{{ . }}名</dd>{{ end }}
{{ range .Params.flags }}<dt>{{ index . 0 }}</dt><dd>{{ index . 1 }}</dd>{{ end }}
<dt>確認日</dt><dd>{{ .Params.verified }}</dd>
</dl>
{{ .Content }}
</main>
</body>
</html>
"""

LIST = HEAD + """\
<main>
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
<ul>
{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>
{{ end }}
</ul>
{{ template "_internal/pagination.html" . }}
</main>
</body>
</html>
"""


def toml_value(v):
    """A TOML value for strings, integers and lists of them (JSON strings are TOML strings)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(f"unexpected front-matter value {v!r}")


def split_entry(path):
    text = open(path, encoding="utf-8").read()
    if not text.startswith("+++\n"):
        raise ValueError(f"{path}: no TOML front matter")
    end = text.index("\n+++\n", 3)
    return tomllib.loads(text[4:end + 1]), text[end + 5:]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: to-hugo.py SYNTH_DIR HUGO_DIR")
    src, dst = sys.argv[1], sys.argv[2]
    site = tomllib.load(open(os.path.join(src, "content", "site.toml"), "rb"))
    regions = tomllib.load(open(os.path.join(src, "content", "regions.toml"), "rb"))
    municipality = {}  # name or code -> (name, region name)
    for r in regions["regions"]:
        for m in r["municipalities"]:
            municipality[m["name"]] = municipality[m["code"]] = (m["name"], r["name"])
    care_label = dict(CARE)
    care_label.update({label: label for label in CARE.values()})

    os.makedirs(os.path.join(dst, "content", "entries"))
    os.makedirs(os.path.join(dst, "layouts", "_default"))
    with open(os.path.join(dst, "hugo.toml"), "w", encoding="utf-8") as f:
        f.write(CONFIG.format(title=toml_value(site["title"])))
    for name, text in (("single.html", SINGLE), ("list.html", LIST)):
        with open(os.path.join(dst, "layouts", "_default", name), "w", encoding="utf-8") as f:
            f.write(text)
    with open(os.path.join(dst, "content", "entries", "_index.md"), "w", encoding="utf-8") as f:
        f.write('+++\ntitle = "掲載一覧"\n+++\n')

    count = 0
    for folder, _, files in os.walk(os.path.join(src, "content", "entries")):
        for file in sorted(files):
            if not file.endswith(".md") or file.startswith(("_", ".")):
                continue
            e, body = split_entry(os.path.join(folder, file))
            muni, region = municipality[e["municipality"]]
            fm = {
                "title": e["name"],
                "kana": e.get("kana"),
                "categories": [CATEGORIES[e["category"]]],
                "regions": [region],
                "municipalities": [muni],
                "care": [care_label[c] for c in e.get("care", [])],
                "services": e.get("services", []),
                "address": e["address"],
                "postal_code": e.get("postal_code"),
                "phone": e.get("phone"),
                "fax": e.get("fax"),
                "email": e.get("email"),
                "website": e.get("url"),  # `url` would set the page's URL in Hugo
                "operator": e.get("operator"),
                "capacity": e.get("capacity"),
                "hours": e.get("hours"),
                "verified": str(e["verified"]),
            }
            if "ages" in e:
                fm["ages"] = f"{e['ages']['min']}〜{e['ages']['max']}歳"
            flags = [[label, "あり" if e[fid] else "なし"] for fid, label in FLAGS.items() if fid in e]
            lines = [f"{k} = {toml_value(v)}" for k, v in fm.items() if v is not None and v != []]
            if flags:
                lines.append(f"flags = {toml_value(flags)}")
            stem = file[:-3]
            with open(os.path.join(dst, "content", "entries", f"{stem}.md"), "w", encoding="utf-8") as f:
                f.write("+++\n" + "\n".join(lines) + "\n+++\n" + body)
            count += 1
    print(f"{count} entries converted to a Hugo site in {dst}", file=sys.stderr)


if __name__ == "__main__":
    main()
