-- Assigning a value that may be nil to a non-optional local.
local function f(x: string?)
    local s: string = x -- expect-error: E0000 cannot assign to `s` (declared string): the value may be nil
    print(s)
end
f(nil)
