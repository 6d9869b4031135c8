"""Norwegian sort keys and slugs."""

from core.norwegian import norwegian_key, slugify_nb


def test_norwegian_order_puts_ae_o_a_after_z_and_ignores_case():
    names = ["Åfjord", "ørland", "Zeta", "Ærlig", "alta", "Bø"]
    assert sorted(names, key=norwegian_key) == ["alta", "Bø", "Zeta", "Ærlig", "ørland", "Åfjord"]


def test_slugs_spell_out_norwegian_letters():
    assert slugify_nb("Ørland – Åfjord og Bærum") == "orland-afjord-og-baerum"
    assert [slugify_nb(region) for region in ["Sør", "Øst"]] == ["sor", "ost"]
