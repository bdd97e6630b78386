"""Numbers in sentences, written as people write them."""

from dashboard.text import amount, rate, search_words


def test_an_amount_has_thousands_separated_and_at_most_one_decimal():
    assert amount(7_242_339.62) == "7,242,339.6"
    assert amount(3_153_022.0) == "3,153,022"  # never 3.15302e+06
    assert amount(5.04) == "5"
    assert amount(0.0) == "0"
    assert amount(None) == "—"


def test_a_rate_has_thousands_separated_and_at_most_two_decimals():
    assert rate(19_660.1834) == "19,660.18"
    assert rate(1 / 90) == "0.01"
    assert rate(2.5) == "2.5"
    assert rate(3.0) == "3"
    assert rate(100.0) == "100"  # the zeros of the whole part stay
    assert rate(0.0) == "0"


def test_search_words_are_each_word_typed_once_without_hidden_characters():
    assert search_words("  Azure sign  AZURE ") == ("Azure", "sign")
    assert search_words("CS000006663") == ("CS000006663",)
    assert search_words("sign\u200bin\tfails\n") == ("signin", "fails")  # a zero-width space
    assert search_words("") == ()
    assert search_words(" \t ") == ()
