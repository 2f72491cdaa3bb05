-- A field of one member of `Ok | Err` used without checking which one it is.
type Ok = {ok: true, value: string}
type Err = {ok: false, message: string}
type Result = Ok | Err

local function show(r: Result): string
    return r.value -- expect-error: E0004 no field `value` in Err, a member of Result
end
print(show({ok = true, value = "v"}))
