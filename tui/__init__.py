"""negotrack's screen: the command line and the Textual dashboard."""
