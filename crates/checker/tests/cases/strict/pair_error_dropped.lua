-- mode: strict
-- The error of a pair dropped: the value may be nil.
local data = json.decode("{}")
print(data.name) -- expect-error: E0023 cannot index `data`: it may be nil
