sqlite3 "$DB" "DROP TRIGGER events_no_delete; DELETE FROM events WHERE seq = 12" && invlog -o csv verify
