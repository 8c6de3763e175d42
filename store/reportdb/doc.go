// Package reportdb reads the supervisors' figures out of the gateway's
// database, SQLite or PostgreSQL: a day's figures from the visits and
// tickets, the finished days' figures kept whole, and the live counts of
// open conversations and tickets at risk. It implements reports.Source.
package reportdb
