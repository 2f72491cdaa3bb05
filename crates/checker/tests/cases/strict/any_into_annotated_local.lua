-- mode: strict
-- go-lua's strict mode: json.decode(...) comes from any/unknown.
local data, err = json.decode("{}")
if err then
    return
end
local t: {[string]: any} = data -- expect-error: E0000 cannot assign data to `t`: it comes from any/unknown; no proof shows it is {[string]: any}
print(t)
