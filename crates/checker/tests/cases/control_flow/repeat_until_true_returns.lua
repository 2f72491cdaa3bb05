-- `repeat … until` with a `return` inside still needs one after it.
local function f(xs: {integer}): integer -- expect-error: E0010 missing return
    local i = 0
    repeat
        i = i + 1
        if xs[i] == 0 then
            return i
        end
    until i >= #xs
end
print(f({}))
