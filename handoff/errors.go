package handoff

import "errors"

// Errors the desk and its stores return; test them with errors.Is.
var (
	// ErrNotFound means there is no such conversation or agent on the desk.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a record changed between read and write. The desk
	// retries a few times before returning it; it is safe to retry.
	ErrConflict = errors.New("changed concurrently")
	// ErrTaken means the conversation no longer waits: another agent
	// holds it.
	ErrTaken = errors.New("already taken by an agent")
	// ErrNotAssigned means the agent does not hold the conversation.
	ErrNotAssigned = errors.New("not held by this agent")
	// ErrNotInGroup means the agent does not serve the conversation's
	// skill group.
	ErrNotInGroup = errors.New("not in the agent's skill groups")
	// ErrAtCapacity means the agent already holds their maximum.
	ErrAtCapacity = errors.New("agent at capacity")
	// ErrUnavailable means the agent takes no conversations now: not
	// ready, or disconnected.
	ErrUnavailable = errors.New("agent not available")
	// ErrMove means the agent may not move to that state from theirs.
	ErrMove = errors.New("state change not allowed")
	// ErrHasConversations means the agent still holds conversations and
	// must close or transfer them first.
	ErrHasConversations = errors.New("agent still holds conversations")
	// ErrInvalid means a request lacks a required field or has a bad one.
	ErrInvalid = errors.New("invalid request")
)
