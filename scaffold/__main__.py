"""``python -m scaffold``."""

from scaffold.launch import main

main()
