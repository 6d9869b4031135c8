"""Who may see and report measurements."""

import rules

from network.rules import is_facilitator, reads_everything

rules.add_perm("measurements.view_overview", reads_everything | is_facilitator)
