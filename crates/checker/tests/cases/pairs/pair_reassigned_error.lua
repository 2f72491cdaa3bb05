-- Reassigning the pair from another call: the new error guards the new value.
local a, err = json.decode("1")
if err then
    return
end
local b
b, err = json.decode("2")
if err then
    return
end
print(a.x, b.y)
