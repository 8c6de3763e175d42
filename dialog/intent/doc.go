// Package intent recognises what a subscriber wants when the message is
// not a knowledge base question: a human agent, a fault report, a
// complaint, the status of a ticket, starting over, or small talk.
//
// The router holds no phrases of its own. configs/intents.yaml lists them
// as data in a few general shapes: whole-message phrases (人工, CX), phrases
// found anywhere, combinations of term lists found close together (a
// service such as 宽带 with a failure such as 断了), regular expressions
// (ticket numbers) and exclusions (a question about how long a repair
// takes is not a fault report). Decide puts the router and the knowledge
// base together the way the bot treats a first message; a subject the
// phrases call off topic (shop hours) is answered when the knowledge base
// has an entry on it.
package intent
