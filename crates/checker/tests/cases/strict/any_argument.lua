-- mode: strict
-- An any from a call passed where a string is required.
local function need(s: string): integer
    return #s
end
local v, err = json.decode("1")
if err then
    return
end
print(need(v)) -- expect-error: E0000 argument 1 (s) comes from any/unknown; no proof shows it is string
