from tests.matrix import LOGIN, Case, expect

CASES = [
    Case(
        "measurements:overview",
        expect(
            403,
            anonymous=LOGIN,
            facilitator=200,
            facilitator_other=200,
            ministry=200,
            admin_user=200,
        ),
    ),
]
