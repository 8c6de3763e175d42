package console

import (
	"errors"

	"hotline/dialog"
	"hotline/handoff"
)

// Error codes of the console's error frames.
const (
	codeBadFrame    = "bad_frame"
	codeNotFound    = "not_found"
	codeTaken       = "taken"
	codeNotYours    = "not_yours"
	codeAtCapacity  = "at_capacity"
	codeUnavailable = "unavailable"
	codeNotInGroup  = "not_in_group"
	codeBadState    = "bad_state"
	codeForbidden   = "forbidden"
	codeRateLimited = "rate_limited"
	codeInternal    = "internal"
)

// errorTexts are the messages shown to the agent for each code.
var errorTexts = map[string][2]string{
	codeBadFrame:    {"请求格式不正确。", "The request was not understood."},
	codeNotFound:    {"该会话已不在队列中。", "This conversation is no longer on the desk."},
	codeTaken:       {"另一位坐席已接入该会话。", "Another agent has already taken this conversation."},
	codeNotYours:    {"您没有接入该会话。", "You do not hold this conversation."},
	codeAtCapacity:  {"您接待的会话已达上限。", "You already hold as many conversations as you may."},
	codeUnavailable: {"坐席未就绪或未连接。", "The agent is not ready or not connected."},
	codeNotInGroup:  {"该会话不属于相应技能组。", "This conversation belongs to another skill group."},
	codeBadState:    {"当前状态下不能这样操作。", "That is not possible in the current state."},
	codeForbidden:   {"只有班长可以这样操作。", "Only a supervisor may do that."},
	codeRateLimited: {"操作太快了，请稍候。", "Too many requests; please slow down."},
	codeInternal:    {"系统暂时出错，请重试。", "Something went wrong; please try again."},
}

// errorFrame answers a request with a code and its texts.
func errorFrame(req, code string) map[string]string {
	t := errorTexts[code]
	return map[string]string{"type": "error", "req": req, "code": code,
		"message": t[0], "message_en": t[1]}
}

// okFrame answers a request that succeeded.
func okFrame(req string) map[string]string {
	return map[string]string{"type": "ok", "req": req}
}

// codeOf maps the desk's and the engine's errors to a code.
func codeOf(err error) string {
	switch {
	case errors.Is(err, handoff.ErrTaken):
		return codeTaken
	case errors.Is(err, handoff.ErrNotAssigned), errors.Is(err, dialog.ErrNotWithAgent):
		return codeNotYours
	case errors.Is(err, handoff.ErrAtCapacity):
		return codeAtCapacity
	case errors.Is(err, handoff.ErrUnavailable):
		return codeUnavailable
	case errors.Is(err, handoff.ErrNotInGroup):
		return codeNotInGroup
	case errors.Is(err, handoff.ErrMove), errors.Is(err, handoff.ErrHasConversations):
		return codeBadState
	case errors.Is(err, handoff.ErrNotFound):
		return codeNotFound
	case errors.Is(err, handoff.ErrInvalid):
		return codeBadFrame
	}
	return codeInternal
}
