-- Code after `return` is hinted, not checked for nil.
local function f(x: string?): integer
    do return 0 end
    return #x -- expect-hint: E0009 unreachable code
end
print(f(nil))
