// Package submission reads what a student hands in for a lab — a terminal
// transcript, a shell script or a Markdown write-up — and turns it into the
// commands labcheck replays on a fresh swarm.
//
// It holds the pure parts of a replay: Parse finds the commands, the node
// each one ran on and the output the student recorded; Check decides whether
// a command may run in a node at all; a Translator rewrites what belonged to
// the student's cluster (join tokens, IP addresses, node, container and
// service IDs) into the replay cluster's equivalents. Nothing here runs a
// command.
//
// Submissions come from people, pasted from browsers, terminals and word
// processors, so parsing is forgiving where the intent is clear (smart
// quotes, CRLF, prompts of every shape) and records every such fix as a
// Note the grader can show; it is strict where a guess would grade the
// wrong thing (an unknown node name, a binary file).
package submission
