"""Where the outlets disagree: facts, quote wording, echoes and speakers' names compared across
sources. `build.compare(articles, quote_analysis)` gives a `model.Comparison`."""
