-- `{x = nil}` declares a slot filled later: its type is unknown.
local cache = { db = nil, hits = 0 }
cache.db = sql.get("app:db")
print(cache.db, cache.hits + 1)
