from django import forms
from django.contrib.auth import login
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from annotator.classroom import services as classroom
from annotator.classroom.models import Classroom


class SignupForm(UserCreationForm):
    join_code = forms.CharField(
        label="Class join code", required=False, max_length=40,
        help_text="Optional: the code your teacher gave you, e.g. maple-otter-42.")

    def clean_join_code(self):
        code = classroom.normalise_code(self.cleaned_data["join_code"])
        if code and not Classroom.objects.filter(join_code=code).exists():
            raise forms.ValidationError("No class has that join code. Check it with your teacher.")
        return code


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None, initial={"join_code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            if form.cleaned_data["join_code"]:
                classroom.join(user, form.cleaned_data["join_code"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if form.cleaned_data["join_code"]:
            return redirect("classroom:classes")
        target = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})
