"""The dashboard's footer: textual's own, composed again only when what it shows changes."""

from __future__ import annotations

from textual.widgets import Footer


class SteadyFooter(Footer):
    """textual's Footer, which keeps its keys while another screen covers its own, and while
    the keys it would show are the ones it shows.

    textual's Footer composes all its keys again whenever its screen's bindings are updated,
    which includes every change of focus. Opening the help or the palette took the focus from
    the matrix, and the dashboard's actions are refused while a screen is on top (the
    App's `check_action`). So the covered footer was rebuilt with 2 keys, then with the same 7
    keys on closing. Each rebuild mounted and styled its keys and laid the screen out again.
    Covered, it now keeps what it showed. When its screen is on top again (textual then
    refreshes the screen's bindings: `Screen.stack_updates`), it compares what it would show
    with what it shows and is composed again only if they differ.
    """

    _shown: tuple | None = None

    def _footprint(self) -> tuple:
        """What `Footer.compose` reads: the shown bindings and the palette's."""
        app = self.app
        active = self.screen.active_bindings

        def said(entry: tuple) -> tuple:
            _node, binding, enabled, tooltip = entry
            return (binding.key, app.get_key_display(binding), binding.description, binding.action,
                    binding.group, binding.tooltip, enabled, tooltip)

        palette = active.get(app.COMMAND_PALETTE_BINDING)
        return (
            self.compact, self.show_command_palette, app.ENABLE_COMMAND_PALETTE,
            said(palette) if palette is not None else None,
            tuple(said(entry) for entry in active.values() if entry[1].show),
        )

    async def recompose(self) -> None:
        if not self.is_attached or not self._bindings_ready:
            await super().recompose()
            return
        if self.app.screen is not self.screen:
            return  # covered by another screen
        footprint = self._footprint()
        if footprint == self._shown:
            return
        self._shown = footprint
        await super().recompose()
