import Testing

/// The studio's tests in tmux, one at a time. They wait on the terminal with blocking sleeps,
/// each holding one of the cooperative pool's threads (two on a 2-core machine) while it runs;
/// in turn, they leave the other thread to the rest of the tests.
@Suite(.serialized, .enabled(if: TmuxSession.tmuxPath != nil, "tmux is not installed: the studio's terminal tests need it"))
enum TerminalTests {}
