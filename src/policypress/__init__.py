"""policypress: one Markdown source per school policy, built into every output a school needs."""

import warnings

__version__ = "0.1.0"

# pyHanko imports cryptography's DSA support, and cryptography warns on that import ("DSA is
# deprecated"): a note from one library to another's developers, printed raw in the middle of
# a school's build or `register add`. Set here, so every process that imports policypress
# (the command, the PDF workers, the register's validation) has it before pyHanko loads.
warnings.filterwarnings("ignore", message="DSA is deprecated", module=r"pyhanko(\.|$)")
