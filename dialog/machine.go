package dialog

import (
	"context"
	"errors"
	"sync"

	"github.com/looplab/fsm"
)

// States of a conversation.
const (
	// StateAnswering is the bot answering questions; every conversation
	// starts here.
	StateAnswering = "answering"
	// StateCollecting is the bot asking for the details of a fault report
	// or complaint, one question at a time.
	StateCollecting = "collecting"
	// StateConfirming is the bot showing the collected details for the
	// subscriber to confirm.
	StateConfirming = "confirming"
	// StateWaitingAgent is the subscriber waiting in the agent queue.
	StateWaitingAgent = "waiting_agent"
	// StateWithAgent is an agent handling the conversation; the bot is
	// silent.
	StateWithAgent = "with_agent"
	// StateSurvey is the bot asking the subscriber to rate the service.
	StateSurvey = "survey"
	// StateClosed is a conversation that ended, for example after being
	// idle; a new message reopens it.
	StateClosed = "closed"
)

// Events that move a conversation between states.
const (
	EventReport       = "report"        // a fault report starts its form
	EventComplain     = "complain"      // a complaint starts its form
	EventCollected    = "collected"     // every form slot is filled
	EventConfirm      = "confirm"       // the subscriber confirmed the summary
	EventAmend        = "amend"         // the subscriber wants to change a detail
	EventRequestAgent = "request_agent" // the conversation joins the agent queue
	EventAgentJoin    = "agent_join"    // an agent accepted it
	EventLeaveQueue   = "leave_queue"   // the subscriber left the queue
	EventAgentLeave   = "agent_leave"   // the agent closed it with a wrap-up
	EventRequeue      = "requeue"       // the agent sent it back to the queue, or was lost
	EventAgentGone    = "agent_gone"    // the desk no longer has the conversation
	EventSurvey       = "survey"        // the bot asks for a rating of a resolved ticket
	EventRate         = "rate"          // the subscriber answered the survey
	EventCancel       = "cancel"        // the subscriber cancelled what was going on
	EventGiveUp       = "give_up"       // the form was dropped, e.g. after too many failures
	EventExpire       = "expire"        // the conversation was idle too long
	EventReopen       = "reopen"        // a closed conversation got a new message
)

// transitions is the dialog's transition table, defined once and shared by
// every conversation.
var transitions = fsm.Events{
	{Name: EventReport, Src: []string{StateAnswering}, Dst: StateCollecting},
	{Name: EventComplain, Src: []string{StateAnswering}, Dst: StateCollecting},
	{Name: EventCollected, Src: []string{StateCollecting}, Dst: StateConfirming},
	{Name: EventConfirm, Src: []string{StateConfirming}, Dst: StateAnswering},
	{Name: EventAmend, Src: []string{StateConfirming}, Dst: StateCollecting},
	{
		Name: EventRequestAgent,
		Src:  []string{StateAnswering, StateCollecting, StateConfirming},
		Dst:  StateWaitingAgent,
	},
	{Name: EventAgentJoin, Src: []string{StateWaitingAgent}, Dst: StateWithAgent},
	{Name: EventLeaveQueue, Src: []string{StateWaitingAgent}, Dst: StateAnswering},
	{Name: EventAgentLeave, Src: []string{StateWithAgent}, Dst: StateSurvey},
	{Name: EventRequeue, Src: []string{StateWithAgent}, Dst: StateWaitingAgent},
	{Name: EventAgentGone, Src: []string{StateWithAgent}, Dst: StateAnswering},
	{Name: EventSurvey, Src: []string{StateAnswering, StateClosed}, Dst: StateSurvey},
	{Name: EventRate, Src: []string{StateSurvey}, Dst: StateAnswering},
	{
		Name: EventCancel,
		Src:  []string{StateCollecting, StateConfirming, StateWaitingAgent, StateSurvey},
		Dst:  StateAnswering,
	},
	{Name: EventGiveUp, Src: []string{StateCollecting, StateConfirming}, Dst: StateAnswering},
	{
		Name: EventExpire,
		Src: []string{StateAnswering, StateCollecting, StateConfirming,
			StateWaitingAgent, StateSurvey},
		Dst: StateClosed,
	},
	{Name: EventReopen, Src: []string{StateClosed}, Dst: StateAnswering},
}

// callbacks are the side effects of transitions. Each reads the turn it
// belongs to from the event's first argument, never from a closure, so one
// definition serves every conversation. Effects are only recorded on the
// turn; they are stored in the same transaction as the new state, which
// makes them idempotent.
var callbacks = fsm.Callbacks{
	"enter_" + StateClosed: func(_ context.Context, e *fsm.Event) {
		turnOf(e).say(FromSystem, textExpired)
	},
	"enter_" + StateAnswering: func(_ context.Context, e *fsm.Event) {
		if e.Event == EventCancel {
			turnOf(e).say(FromBot, textCancelled)
		}
	},
}

func turnOf(e *fsm.Event) *turn { return e.Args[0].(*turn) }

// machines pools state machine instances: building one costs about 25
// times a transition, so an instance is reset to the stored state and
// reused rather than built per message.
var machines = sync.Pool{
	New: func() any { return fsm.NewFSM(StateAnswering, transitions, callbacks) },
}

// fire runs one event for the turn's conversation and stores the new state
// on it. It reports whether the transition happened.
func fire(t *turn, event string) (bool, error) {
	m := machines.Get().(*fsm.FSM)
	m.SetState(t.conv.State)

	// A cancelled context would leave the instance wedged mid-transition,
	// so the event runs without the caller's cancellation.
	err := m.Event(context.WithoutCancel(t.ctx), event, t)
	t.conv.State = m.Current()
	if reusable(err) {
		machines.Put(m)
	}

	var invalid fsm.InvalidEventError
	var noTransition fsm.NoTransitionError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &invalid), errors.As(err, &noTransition):
		return false, nil
	default:
		return false, err
	}
}

// reusable reports whether an instance that returned err can go back to
// the pool; after other errors it may be stuck mid-transition.
func reusable(err error) bool {
	if err == nil {
		return true
	}
	var (
		noTransition fsm.NoTransitionError
		canceled     fsm.CanceledError
		invalid      fsm.InvalidEventError
		unknown      fsm.UnknownEventError
	)
	return errors.As(err, &noTransition) || errors.As(err, &canceled) ||
		errors.As(err, &invalid) || errors.As(err, &unknown)
}

// States lists every state, for validation and documentation.
func States() []string {
	return []string{StateAnswering, StateCollecting, StateConfirming, StateWaitingAgent,
		StateWithAgent, StateSurvey, StateClosed}
}

// Visualize returns the transition table as a Mermaid state diagram.
func Visualize() (string, error) {
	m := fsm.NewFSM(StateAnswering, transitions, nil)
	return fsm.VisualizeWithType(m, fsm.MermaidStateDiagram)
}
