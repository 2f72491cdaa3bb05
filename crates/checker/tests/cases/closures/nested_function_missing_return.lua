-- Missing return is checked per function, nested ones too.
local function outer(): (b: boolean) -> string
    return function(b: boolean): string -- expect-error: E0010 missing return
        if b then
            return "x"
        end
    end
end
print(outer())
