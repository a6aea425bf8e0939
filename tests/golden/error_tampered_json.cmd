sqlite3 "$DB" "DROP TRIGGER events_no_update; UPDATE events SET actor = 'mallory' WHERE seq = 2" && invlog -o json verify
