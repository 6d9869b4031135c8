"""The reputation survey («omdømmeundersøkelse»): the programme's standard questionnaire, a local
project's survey runs, anonymous answers, results, and the values a closed run writes into the
project's measurements. See ``measurements/README.md``."""
