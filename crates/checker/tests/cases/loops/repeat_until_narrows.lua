-- `repeat … until x`: `x` is truthy after the loop.
local function next_token(read: () -> string?): string
    local tok
    repeat
        tok = read()
    until tok
    return tok
end
print(next_token(function() return "a" end))
