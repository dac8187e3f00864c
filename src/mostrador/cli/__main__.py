"""``python -m mostrador.cli``: the same as the ``mostrador`` command."""

from mostrador.cli import main

main()
