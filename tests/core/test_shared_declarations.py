"""The small helpers that give repeated declarations one home: page blocks, optional
one-line fields, personal-data items and counts."""

from dataclasses import dataclass

from core.forms import SingleLineCharField, optional_line
from core.page_blocks import PageBlock, block_maker
from core.personal_data import Item, items
from core.tally import Tally


def test_a_block_maker_puts_the_template_in_the_apps_folder():
    def context(**kwargs):
        return {}

    block = block_maker("gatherings")("gatherings", "home_gatherings", context, order=20)

    assert block == PageBlock(
        "gatherings", "gatherings/page_blocks/home_gatherings.html", context, 20
    )


def test_an_optional_line_is_an_optional_single_line_field():
    field = optional_line("Title", "Optional.")

    assert isinstance(field, SingleLineCharField)
    assert (field.label, field.help_text, field.max_length, field.required) == (
        "Title",
        "Optional.",
        200,
        False,
    )
    assert optional_line("Name").help_text == ""


def test_items_read_an_attribute_unless_the_row_gives_the_value():
    @dataclass
    class Person:
        name: str
        role: str

    assert items(Person("Kari", "leader"), [("name", "Name"), ("role", "Role", "Leader")]) == [
        Item("name", "Name", "Kari"),
        Item("role", "Role", "Leader"),
    ]


def test_a_tally_adds_and_totals_its_counts():
    @dataclass
    class Counts(Tally):
        created: int = 0
        skipped: int = 0

    counts = Counts(skipped=2)
    counts.add("created")

    assert (counts.created, counts.total) == (1, 3)
