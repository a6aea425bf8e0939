sqlite3 "$DB" "DROP TRIGGER events_no_update; UPDATE events SET data = replace(data, '25', '26') WHERE seq = 9" && invlog verify
