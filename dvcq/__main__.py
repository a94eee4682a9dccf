from dvcq.cli import main

main()
