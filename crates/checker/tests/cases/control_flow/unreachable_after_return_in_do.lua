-- Statements after a `do return end` never run.
local function f(): integer
    do return 1 end
    print("never") -- expect-hint: E0009 unreachable code
    return 2
end
print(f())
