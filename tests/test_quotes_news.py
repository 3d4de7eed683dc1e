"""Attribution rules of real news copy (issue 14), one group of constructed cases per failure
class: reporting verbs and frames, a speaker after a dash, appositions and party tags inside the
name phrase, descriptions that refer back, collective and joint sources, documents and
possessives, pronouns across paragraphs, name parses, and quotation marks that quote no one.

Every sentence here was written for this file; no name or phrase comes from any corpus."""

from __future__ import annotations

import pytest

from briefing.index.analysis import extras_from_quotes, name_variants
from briefing.index.model import Article, Manifest, Paragraph
from briefing.index.quotes.analysis import analyse_quotes
from briefing.index.quotes.extract import Quote, extract_quotes, is_quotation
from briefing.index.quotes.lexicon import lexicon
from briefing.index.quotes.marks import find_quote_spans, non_quote_kind
from briefing.index.quotes.speakers import parse_name_phrase, pronoun_of, title_surname

NO_SIDES = Manifest()


def article(*paras: str, title: str = "A headline") -> Article:
    return Article("n1", "Test Wire", title, None, None, None, [],
                   [Paragraph(i + 1, text) for i, text in enumerate(paras)])


def quotes(*paras: str, title: str = "A headline", hidden: bool = False) -> list[Quote]:
    return extract_quotes(article(*paras, title=title), NO_SIDES, include_non_quotes=hidden)


def speakers(*paras: str, title: str = "A headline") -> list[str | None]:
    return [q.speaker for q in quotes(*paras, title=title)]


# --------------------------------------------------------------------------------------------
# 1. Reporting verbs and frames


@pytest.mark.parametrize(
    "text, speaker",
    [
        ('The Lakeside Ledger reported that the council had "no plan at all" for the bridge.', "Lakeside Ledger"),
        ("Senator Odile Farrow blasted the budget as a “paper tiger” on Thursday.", "Odile Farrow"),
        ("Governor Piet Landry boasted that the state was “open for business.”", "Piet Landry"),
        ("Mayor Ines Kowal condemned the raid, calling it “a stain on this city.”", "Ines Kowal"),
        ("Councillor Abel Stroud vowed to fight “every single cut.”", "Abel Stroud"),
        ("Economist Vera Lindqvist wrote that rates were “far too high for far too long.”", "Vera Lindqvist"),
        ("Trustee Hal Brannock demanded, “Who approved this contract?”", "Hal Brannock"),
        ("Regulator Mina Osei cited what she called “a pattern of neglect.”", "Mina Osei"),
    ],
)
def test_reporting_verbs_beyond_said(text, speaker):
    assert speakers(text) == [speaker]


def test_the_verb_next_to_the_quotation_wins_over_an_earlier_clause():
    qs = quotes("When Treasurer Lio Brandt noted the shortfall, Alderman Rosa Vint demanded, “Where did it go?”")
    assert [q.speaker for q in qs] == ["Rosa Vint"]


def test_a_quotation_in_narration_takes_its_sentence_subject():
    assert speakers("Minister Karel Dvorak heralded the treaty as a “turning point.”") == ["Karel Dvorak"]


def test_a_sentence_opening_verb_is_inverted():
    assert speakers("Analysts disagreed. Said Brannigan: “Nobody saw the turn coming.”") == ["Brannigan"]


def test_a_short_quote_with_no_cue_does_not_inherit_the_last_speaker():
    qs = quotes(
        "“We will not sell the port,” Harbour Master Edda Quist said.",
        "The so-called “harbour deal” collapsed a week later.",
    )
    assert [q.speaker for q in qs] == ["Edda Quist", None]


def test_a_plural_noun_in_s_is_not_a_cue():
    qs = quotes("The Factcheck Desk rated 40% of the opposition claims as “misleading” last year.")
    assert [q.speaker for q in qs] == ["Factcheck Desk"]


# --------------------------------------------------------------------------------------------
# 2. The speaker after a dash


@pytest.mark.parametrize(
    "paras, expected",
    [
        (["“Our rent doubled in a year and nobody noticed.” ― Tamsin Achebe"], ["Tamsin Achebe"]),
        (["“I have voted in every election since 1970.”— Rolf Haugen, 71, of Duluth"], ["Rolf Haugen"]),
        (["“The buses never come on time.” – Ayla Demir “And the fares keep rising.” – Joss Pereira"],
         ["Ayla Demir", "Joss Pereira"]),
    ],
)
def test_speaker_after_a_dash(paras, expected):
    assert speakers(*paras) == expected


def test_a_dash_inside_narration_names_no_one():
    assert speakers("“We will win,” Coach Ada Frey said — and they did.") == ["Ada Frey"]


# --------------------------------------------------------------------------------------------
# 3. Name phrases broken by appositions and party tags


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“The numbers do not add up,” Rep. Corin Vale (D-Ore.), a member of the spending panel, said Friday.", "Corin Vale"),
        ("“The override has the votes,” Senate Whip Dario Kent, R-Neb., said Monday.", "Dario Kent"),
        ("Hedda Mossgiel, 64, of Flint, Michigan, who drove four hours to the rally, said it was “worth every mile.”", "Hedda Mossgiel"),
        ("“It was a long night,” Orrin Pikeworth, after a short pause, said of the count.", "Orrin Pikeworth"),
        ("“It cannot pass,” said Greta Sorvino of the Civic Budget Institute, a nonpartisan group.", "Greta Sorvino"),
        ("According to talk radio host Bram Oduya, the bill was “dead on arrival.”", "Bram Oduya"),
        ("“Turnout is everything,” said pollster Ivo Marchetti.", "Ivo Marchetti"),
        ("“Why wait?” said Mayor Hilde Onyango, who chairs the regional board.", "Hilde Onyango"),
    ],
)
def test_appositions_and_party_tags_inside_the_name_phrase(text, speaker):
    assert speakers(text) == [speaker]


# --------------------------------------------------------------------------------------------
# 4. Descriptions that refer back to a named person


@pytest.mark.parametrize(
    "paras, speaker",
    [
        (["Property developer Sid Halloran toured the site on Monday.",
          "“This town deserves better,” the Idaho developer said."], "Sid Halloran"),
        (["Sen. Wren Abbate spoke to farmers in Eugene.",
          "Pressed on the tariffs, the Oregon senator acknowledged there was “real pain” in the county."], "Wren Abbate"),
        (["Gov. Tobiah Rinne of Kansas defended the plan.",
          "The Kansas governor said critics were “missing the point.”"], "Tobiah Rinne"),
    ],
)
def test_descriptions_refer_back_to_the_person_introduced_with_them(paras, speaker):
    assert speakers(*paras) == [speaker]


# --------------------------------------------------------------------------------------------
# 5. Collective and plural sources


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("Police say they found “no sign of forced entry” at the depot.", "Police"),
        ("Demonstrators chanted “Schools not jails” outside the courthouse.", "Demonstrators"),
        ("Strikers marching past the mill shouted “Fair pay now!” at the gates.", "Strikers"),
        ("Mayor Idris Pohl and Governor Seren Ashe call the flooding “a slow disaster” in a joint statement.",
         "Idris Pohl and Seren Ashe"),
    ],
)
def test_collective_and_joint_sources_speak(text, speaker):
    assert speakers(text) == [speaker]


def test_anonymous_individuals_are_their_description():
    # unlike a collective body, "officials" and "critics" are people the article does not name:
    # the words it uses for them are the speaker, marked as a description
    qs = quotes("Officials said the fund was “nearly empty.”", "Critics called the levy “a tax on the poor.”")
    assert [(q.speaker, q.speaker_kind) for q in qs] == [("Officials", "description"), ("Critics", "description")]
    assert speakers("Tamm and Ruud said they were “not consulted.”") == [None]


# --------------------------------------------------------------------------------------------
# 6. Documents, outlets and possessives as sources


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“Growth will stay weak through the winter,” the OECD report stated.", "OECD"),
        ("According to a 40-page complaint filed by the state attorney general, the firm ran a “systematic fraud.”",
         "state attorney general"),
        ("Auditors questioned Commissioner Lars Eklund’s claim that waiting lists had “fallen by half.”", "Lars Eklund"),
        ("The Ferris campaign defended the mailer. It is denouncing what it calls “a smear by the press.”", "Ferris campaign"),
    ],
)
def test_documents_outlets_and_possessives(text, speaker):
    assert speakers(text) == [speaker]


def test_a_document_without_an_owner_names_no_one():
    assert speakers("The memo, which leaked on Monday, said the plan had “no legal basis.”") == [None]


# --------------------------------------------------------------------------------------------
# 7. Pronouns: chains across paragraphs, gender, contractions


def test_pronoun_chain_across_paragraphs():
    qs = quotes(
        "Treasurer Amos Kwarteng presented the budget on Tuesday.",
        "The plan cuts spending on roads and raises the fuel duty.",
        "“Nobody likes a tax rise,” he said.",
        "“But the roads will not pay for themselves,” he added.",
    )
    assert [q.speaker for q in qs] == ["Amos Kwarteng", "Amos Kwarteng"]


def test_she_is_the_woman_named_two_paragraphs_back_not_the_last_man():
    qs = quotes(
        "Clara Voss watched the count from her kitchen.",
        "“We did it,” Senator Bram Ellery told the crowd.",
        "“It was close,” she said.",
    )
    assert [q.speaker for q in qs] == ["Bram Ellery", "Clara Voss"]


def test_contracted_pronouns_are_subjects_not_possessives():
    assert pronoun_of("He’s") == "he" and pronoun_of("It's") == "it" and pronoun_of("Hers") is None
    qs = quotes("Mayor Nils Okoro spoke at the depot on Friday.",
                "He’s insisting that the line is “safe for every passenger.”")
    assert [q.speaker for q in qs] == ["Nils Okoro"]


# --------------------------------------------------------------------------------------------
# 8. Name parses


def test_a_title_word_after_a_first_name_is_a_surname():
    assert title_surname(["Mara", "Judge"]) and title_surname(["Ms.", "Cardinal"])
    assert not title_surname(["the", "Ukrainian", "President"]) and not title_surname(["Republican", "Leader"])
    assert speakers("“Every vote counts,” said Mara Judge, a county organizer.") == ["Mara Judge"]
    assert speakers("Rep. Lotte Cardinal said the bill was “going nowhere.”",
                    "“Not this year,” Ms. Cardinal said.") == ["Lotte Cardinal", "Lotte Cardinal"]


def test_wrote_x_for_an_outlet_is_the_person():
    assert speakers("“The lead is within the margin,” wrote Imre Szabo for Polling Weekly.") == ["Imre Szabo"]


def test_a_nickname_inside_a_name_is_one_person_and_no_quotation():
    qs = quotes(
        'Rep. Thaddeus "Tad" Morrow opened the fair on Saturday.',
        "Two other members share his surname: Ilse Morrow (D-Vt.) and Bram Morrow (R-Ala.).",
        '"We are here to stay," Rep. Morrow said.',
        hidden=True,
    )
    assert [(q.text, q.kind) for q in qs][0] == ("Tad", "nickname")
    assert [q.speaker for q in qs if is_quotation(q)] == ["Thaddeus Morrow"]


def test_a_role_does_not_swallow_the_name():
    np = parse_name_phrase("Gita Rao at Northgate Capital".split())
    assert (np.kind, np.name) == ("person", "Gita Rao")


# --------------------------------------------------------------------------------------------
# 9. Quotation marks that quote no one


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Appearing on ABN’s “Face the Voters,” Senator Oona Pratt said the bill would pass.", "title"),
        ("His new documentary, “The Quiet Valley,” opens on Friday in 30 cities.", "title"),
        ("In her 2011 memoir, “Count Every Penny,” Ms. Ward argued for weekly budgets.", "title"),
        ("The “Harbour Lights” star thanked her fans on Sunday.", "title"),
        ('<tweet tweet-id="918273645546372819"><tweet/>.', "residue"),
        ("Follow the story at “@citydesk” for updates.", "residue"),
        ("“(CROSSTALK)”", "residue"),
        ("'Nothing Left To Lose.'", "title"),
    ],
)
def test_titles_markup_and_stage_directions_are_not_quotations(text, kind):
    kinds = [non_quote_kind(text, span) for span in find_quote_spans(text)]
    assert kinds and kinds[0] == kind


def test_real_quotations_are_not_taken_for_titles():
    for text in ["“We Will Not Stop,” the union leader Ada Brun said.",
                 "“It was the best day of my life,” said Ola Berg.",
                 "Mr. Penn called the ruling “a Pyrrhic victory” for the city."]:
        assert all(non_quote_kind(text, span) is None for span in find_quote_spans(text))


def test_a_headline_in_title_case_keeps_its_quotations():
    text = "Mayor Says Budget Is ‘Dead On Arrival’ After Council Vote"
    assert [non_quote_kind(text, s) for s in find_quote_spans(text)] == [None]


def test_non_quotes_are_kept_out_of_the_analysis_and_the_speaker_field():
    art = article("Speaking on ABN’s “Face the Voters,” Senator Oona Pratt said the bill would “pass easily.”")
    analysis = analyse_quotes([art], NO_SIDES)
    assert [q.text for q in analysis.quotes] == ["pass easily."]
    assert [q.text for q in analysis.hidden] == ["Face the Voters"]
    every = extract_quotes(art, NO_SIDES, include_non_quotes=True)
    assert {q.kind for q in every} == {"title", "fragment"}
    extras = extras_from_quotes(every, NO_SIDES)
    assert extras[1].speakers == ("Oona Pratt",)


def test_transcript_labels_name_the_speaker():
    qs = quotes("Partial transcript:", '"HOST: Are you running again?', '"FARRELL: I am not, and neither is my wife.')
    assert [q.speaker for q in qs] == ["Host", "Farrell"]


# --------------------------------------------------------------------------------------------
# Search field and data


def test_the_speaker_field_holds_each_form_of_the_name():
    assert name_variants("Petra J. Lindgren") == {"Petra J. Lindgren", "Petra Lindgren"}
    qs = quotes("Deputy Mayor Petra J. Lindgren opened the session.", "“We start on time,” Lindgren said.")
    extras = extras_from_quotes(qs, NO_SIDES)
    assert {"Petra J. Lindgren", "Petra Lindgren", "Lindgren"} <= set(extras[2].speakers)


def test_the_lexicon_is_package_data():
    lex = lexicon()
    assert {"report", "cite", "blast", "boast", "condemn", "vow", "write", "tweet"} <= set(lex.verbs)
    assert "police" in lex.collective and "officials" not in lex.collective
    assert lex.office("Sen.") == "senator" and "lawmaker" in lex.title_synonyms["senator"]
    assert "documentary" in lex.work_before and "she" in lex.female_pronouns


def test_a_title_word_alone_is_the_surname_the_article_introduced():
    qs = quotes("Tennis great Marit Jo Cardinal won 9 titles.", "Cardinal says the young players “work harder than we did.”")
    assert [q.speaker for q in qs] == ["Marit Jo Cardinal"]


def test_an_opening_place_and_date_are_not_the_subject():
    qs = quotes("At a rally in Flint, Michigan, on Saturday, Senator Oona Pratt promised “a fair deal for every town.”")
    assert [q.speaker for q in qs] == ["Oona Pratt"]


def test_narration_inversion_needs_the_speaker_to_end_the_clause():
    qs = quotes("Ilse Varga, a former aide who now runs a think tank, said Brek's messages had given voters "
                "“every reason to doubt him.”")
    assert [q.speaker for q in qs] == ["Ilse Varga"]


def test_three_apostrophes_close_an_inner_quote_and_the_outer_one():
    qs = quotes("''They told me, 'Go home,''' said Mr. Kowalczyk, a retired welder.")
    assert [(q.text, q.speaker) for q in qs] == [("They told me, 'Go home,'", "Kowalczyk")]


def test_as_x_put_it():
    assert speakers("Or, as Tomas Vance, a former trade official, put it: “The gates are open.”") == ["Tomas Vance"]


def test_a_persons_office_or_campaign_speaks_for_them():
    assert speakers("Councilwoman Ada Roy’s office dismissed the suit, calling it “meritless.”") == [
        "Councilwoman Ada Roy’s office"]


def test_a_passive_speech_verb_names_its_speaker_after_by():
    qs = quotes("Vale was asked by moderator Ida Brek whether the plan would “break the budget for a decade.”")
    assert [q.speaker for q in qs] == ["Ida Brek"]
