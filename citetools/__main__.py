from citetools.cli import main

main()
