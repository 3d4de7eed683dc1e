"""Made-up pages in the shapes news sites publish, for the ingest tests (issue 13).

Every word here is written for these tests; no real article is copied. The story is a harbour
council's vote in an invented town.
"""

from __future__ import annotations

P1 = ("The harbour council of Porthaven voted on Tuesday to rebuild the old pier, ending a dispute "
      "that had divided the town for nearly a decade and delayed repairs to the sea wall.")
P2 = ("“We have waited long enough,” said council leader Tomas Reyes, who called the vote a turning "
      "point for the fishing fleet and for the families who depend on it.")
P3 = ("Opponents said the cost, estimated at twelve million, would fall on households already "
      "struggling with higher rents and fewer jobs in the quiet months of the year.")
P4 = ("Work is expected to begin in the autumn, once the council has chosen a builder and the "
      "regional authority has approved the plans for the new structure.")
SHARE = "Share on Facebook"
COMMENT = "This is a waste of money and everybody in the town knows it, frankly speaking, every single one of us."
RELATED = "Ferry timetable changes for the winter season announced"


def news_page(*, title: str = "Harbour council votes to rebuild the old pier", site: str = "The Coastal Ledger",
              author: str = "Mara Ellison", published: str = "2023-04-05T09:30:00+00:00", lead: str = P1,
              extra_head: str = "") -> str:
    """OpenGraph and JSON-LD metadata, navigation, a share bar, a figure, a comment section."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{published}">
<meta name="author" content="{author}">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "{title}",
  "datePublished": "{published}", "author": [{{"@type": "Person", "name": "{author}"}}],
  "publisher": {{"@type": "Organization", "name": "{site}"}}}}
</script>
<script>document.write("tracking pixel script text");</script>
<style>.share-bar {{ display: flex; }}</style>
{extra_head}
</head><body>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<div class="share-bar" role="toolbar"><a href="#">{SHARE}</a> <a href="#">Share on X</a> <a href="#">Email this</a></div>
<main><article class="story">
<h1 class="headline">{title}</h1>
<p class="byline">By {author}</p>
<figure><img src="pier.jpg" alt="The pier"><figcaption>The old pier at low tide on Tuesday.</figcaption></figure>
<p>{lead}</p>
<p>{P2}</p>
<p>{P3}</p>
<h2>What happens next</h2>
<p>{P4}</p>
</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/x">{RELATED}</a></li></ul></aside>
</main>
<section id="comments" class="comments"><h3>Comments (2)</h3>
<div class="comment"><p class="comment-author">harbourwatcher</p><p>{COMMENT}</p></div>
<form><textarea name="comment"></textarea><button>Post comment</button></form></section>
<footer><p>© 2023 {site}. All rights reserved.</p><p><a href="/privacy">Privacy</a></p></footer>
</body></html>
"""


def jsonld_only_page() -> str:
    """No OpenGraph: the facts are only in JSON-LD and a <time> element."""
    return """<html><head><meta charset="utf-8"><title>Ferry service to resume after repairs</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Ferry service to resume after repairs","datePublished":"2023-05-02",
"author":{"@type":"Person","name":"Ilse Varga"},"publisher":{"@type":"Organization","name":"Island Evening Post"}}</script>
</head><body><div class="page"><div class="content">
<h1>Ferry service to resume after repairs</h1>
<time datetime="2023-05-02">May 2, 2023</time>
<p>The ferry between Porthaven and the outer islands will run again from Monday after three weeks of repairs to its engines, the operator said on Tuesday.</p>
<p>Passengers had been forced to take a longer route by road and bridge, adding more than an hour to journeys that islanders make every day for work and school.</p>
<p>The operator said the repairs had cost more than expected but that the vessel would now serve for at least another ten years without major work.</p>
</div></div></body></html>
"""


def wire_text(dateline: str, signoff: str = "") -> str:
    """A text paste whose outlet is said only by its dateline or its sign-off."""
    body = f"Pier vote ends long dispute\n\n{dateline} {P1}\n\n{P2}\n\n{P3}\n"
    return body + (f"\n{signoff}\n" if signoff else "")


def rss_feed(entries: list[tuple[str, str, str, str, list[str]]], channel: str = "Porthaven Herald") -> str:
    """RSS 2.0 with content:encoded; entries are (guid, title, author, RFC 822 date, paragraphs)."""
    items = []
    for guid, title, author, date, paras in entries:
        html = "".join(f"<p>{p}</p>" for p in paras)
        items.append(f"""<item><title>{title}</title><link>https://herald.example/{guid}</link>
<guid isPermaLink="false">{guid}</guid><dc:creator>{author}</dc:creator><pubDate>{date}</pubDate>
<description>A short summary only.</description>
<content:encoded><![CDATA[{html}<script>alert("never run")</script>]]></content:encoded></item>""")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>{channel}</title><link>https://herald.example/</link><description>News from the harbour</description>
{''.join(items)}
</channel></rss>
"""


def atom_feed() -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Notes</title><id>urn:uuid:harbour-notes</id>
<updated>2023-06-01T08:00:00Z</updated>
<entry><title>Sea wall inspection finds cracks</title><id>urn:uuid:seawall-1</id>
<updated>2023-06-01T08:00:00Z</updated><published>2023-05-31T18:00:00Z</published>
<author><name>Oona Pike</name></author>
<content type="html">&lt;p&gt;{P4}&lt;/p&gt;&lt;p&gt;{P3}&lt;/p&gt;</content></entry>
</feed>
"""


ENTRY_A = ("pier-vote", "Council backs pier rebuild", "Mara Ellison", "Tue, 04 Apr 2023 17:00:00 GMT", [P1, P2])
ENTRY_B = ("pier-cost", "Pier cost worries households", "Jonas Hart", "Wed, 05 Apr 2023 08:15:00 GMT", [P3, P4])
ENTRY_C = ("ferry-back", "Ferry to resume on Monday", "Ilse Varga", "Thu, 06 Apr 2023 10:00:00 GMT",
           ["The ferry to the outer islands will run again from Monday after three weeks of engine repairs, its operator said.",
            "Islanders had been forced to drive the long way round by the bridge, adding an hour to their daily journeys."])


def markdown_article() -> str:
    return """---
title: Lighthouse keepers return to Gull Point
author: Petra Lund
outlet: The Coastal Ledger
date: 2023-07-14
---

# Lighthouse keepers return to Gull Point

![Keepers at the Gull Point lighthouse on Friday](keepers.jpg)

The lighthouse at Gull Point will have resident keepers again for the first time in **thirty years**, the
harbour trust said on Friday, after volunteers offered to live on the headland through the winter.

<script>alert("not run")</script>

“It is a *lonely* job, but someone has to keep the [light](https://example.invalid/light) burning,” said
volunteer Ada Brennan, who trained as a keeper last spring.

## A long absence

- The trust said the automatic lamp had failed twice last year, each time for several hours at night.

```
code blocks are not report text
```
"""


def blog_page() -> str:
    """A blog-engine page: no JSON-LD, the author and date in microformat markup, a share box
    inside the content, a comment list and reply form after it."""
    return f"""<html><head><title>Quay traders fear pier works will hurt trade – Porthaven Weekly</title>
<meta property="og:site_name" content="Porthaven Weekly"></head>
<body class="single-post"><div id="page"><div class="site-branding"><p class="site-title">Porthaven Weekly</p></div>
<div id="content"><div class="post"><h1 class="entry-title">Quay traders fear pier works will hurt trade</h1>
<div class="entry-meta">Posted on <time class="entry-date published" datetime="2023-04-07T10:00:00+01:00">April 7, 2023</time>
by <span class="author vcard"><a class="url fn n" href="/author/ben">Ben Okafor</a></span></div>
<div class="entry-content"><p>{P1}</p><p>{P3}</p>
<div class="sharedaddy"><h3>Share this:</h3><ul><li>Twitter</li><li>Facebook</li></ul></div></div></div>
<div id="comments"><h2>2 thoughts on “Quay traders fear pier works will hurt trade”</h2>
<ol><li><p>{COMMENT}</p></li></ol>
<div id="respond"><h3>Leave a Reply</h3><p>Your email address will not be published.</p></div></div>
</div></div></body></html>"""
