-- mode: strict
-- Into an `any` target there is nothing to prove.
local function keep(v: any): any
    return v
end
local data, err = json.decode("{}")
if err then
    return
end
print(keep(data))
