package sqlite

// The writer's statements, prepared once when the store opens.
const (
	sqlInsertConversation = "INSERT INTO conversations (" + convColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`

	sqlUpdateConversation = `UPDATE conversations SET subscriber_id = ?, state = ?,
		lang = ?, misses = ?, slots = ?, last_seq = ?, version = version + 1, active_at = ?
		WHERE id = ? AND version = ?`

	sqlInsertMessage = "INSERT INTO messages (" + msgColumns + `)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

	sqlInsertUnanswered = `INSERT INTO unanswered
		(conversation_id, message_id, text, best_entry, best_score, suggested, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`

	sqlMarkDelivery = "UPDATE messages SET delivery = ?, attempts = ? WHERE id = ?"
)
