-- mode: strict
-- `type(v) == "string"` proves it.
local function need(s: string): integer
    return #s
end
local v, err = json.decode("1")
if err then
    return
end
if type(v) == "string" then
    print(need(v))
end
